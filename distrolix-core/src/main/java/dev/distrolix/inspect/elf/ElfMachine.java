package dev.distrolix.inspect.elf;

import java.util.Locale;

/**
 * The kind of processor an ELF file is built for: {@code e_machine} with the class and byte order
 * that tell apart what one machine number covers (ppc64 and ppc64le, s390 and s390x, x86-64 and
 * x32). {@link #forArchitecture} maps an OCI/Go architecture to the kind its kernel runs, so an
 * image's config can be checked against its programs.
 */
public record ElfMachine(int machine, int elfClass, boolean bigEndian) {
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_LOONGARCH = 258;

    // Written out: a record's generated equals and hashCode are linked on first call through method handles that
    // the JVM's start-up archives do not keep (the first such call in a run ~10 ms).
    @Override
    public boolean equals(Object o) {
        return o instanceof ElfMachine m && machine == m.machine && elfClass == m.elfClass && bigEndian == m.bigEndian;
    }

    @Override
    public int hashCode() {
        return (machine * 31 + elfClass) * 31 + Boolean.hashCode(bigEndian);
    }

    public static ElfMachine of(ElfInfo info) {
        return new ElfMachine(info.machine(), info.elfClass(), info.bigEndian());
    }

    /**
     * The machine a Linux kernel of this GOARCH runs natively, or null for an architecture this
     * reader does not know (mips and the like are not checked rather than guessed).
     */
    public static ElfMachine forArchitecture(String goArch) {
        return switch (goArch.toLowerCase(Locale.ROOT)) {
            case "amd64" -> new ElfMachine(ElfInfo.EM_X86_64, 64, false);
            case "arm64" -> new ElfMachine(ElfInfo.EM_AARCH64, 64, false);
            case "386" -> new ElfMachine(ElfInfo.EM_386, 32, false);
            case "arm" -> new ElfMachine(ElfInfo.EM_ARM, 32, false);
            case "riscv64" -> new ElfMachine(ElfInfo.EM_RISCV, 64, false);
            case "ppc64le" -> new ElfMachine(EM_PPC64, 64, false);
            case "ppc64" -> new ElfMachine(EM_PPC64, 64, true);
            case "s390x" -> new ElfMachine(EM_S390, 64, true);
            case "loong64" -> new ElfMachine(EM_LOONGARCH, 64, false);
            default -> null;
        };
    }

    /**
     * Whether a kernel of this machine also runs {@code other} as a 32-bit compat program: i386 and
     * x32 on x86-64, arm on aarch64. Common kernels do (IA32 emulation, AArch32 at EL0; x32 less
     * often), but not every kernel or CPU, so such files are worth a note, not an alarm.
     */
    public boolean runsAsCompat(ElfMachine other) {
        return (machine == ElfInfo.EM_X86_64 && (other.machine == ElfInfo.EM_386
                        || (other.machine == ElfInfo.EM_X86_64 && other.elfClass == 32)))
                || (machine == ElfInfo.EM_AARCH64 && other.machine == ElfInfo.EM_ARM && !other.bigEndian);
    }

    /** The name {@code file(1)} and the Debian triplets use: x86-64, aarch64, i386, arm, ppc64le, s390x, … */
    public String displayName() {
        return switch (machine) {
            case ElfInfo.EM_X86_64 -> elfClass == 32 ? "x32" : "x86-64";
            case ElfInfo.EM_AARCH64 -> bigEndian ? "aarch64_be" : "aarch64";
            case ElfInfo.EM_386 -> "i386";
            case ElfInfo.EM_ARM -> bigEndian ? "armeb" : "arm";
            case ElfInfo.EM_RISCV -> elfClass == 32 ? "riscv32" : "riscv64";
            case EM_PPC64 -> bigEndian ? "ppc64" : "ppc64le";
            case 20 -> "ppc";
            case EM_S390 -> elfClass == 32 ? "s390" : "s390x";
            case EM_LOONGARCH -> elfClass == 32 ? "loongarch32" : "loongarch64";
            case 8 -> "mips";
            case 2 -> "sparc";
            case 43 -> "sparc64";
            default -> String.format(Locale.ROOT, "e_machine 0x%x", machine);
        };
    }
}
