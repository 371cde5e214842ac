package dev.distrolix.inspect.elf;

import java.util.List;

/**
 * What the dynamic loader needs to know of one ELF file: its class, byte order, machine and type,
 * its program interpreter ({@code PT_INTERP}), and from the dynamic section the {@code DT_NEEDED}
 * libraries, {@code DT_RPATH}/{@code DT_RUNPATH} (split at ':') and {@code DT_SONAME}.
 * {@code complete} is false when the dynamic strings could not be read in one pass (then
 * {@code problem} says why and the lists may be empty); such files are not judged.
 */
public record ElfInfo(int elfClass, boolean bigEndian, int machine, int type, String interpreter,
                      List<String> needed, List<String> rpath, List<String> runpath, String soname,
                      boolean dynamic, boolean complete, String problem) {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;

    public ElfInfo {
        needed = List.copyOf(needed);
        rpath = List.copyOf(rpath);
        runpath = List.copyOf(runpath);
    }

    /**
     * An executable the kernel can start: ET_EXEC, or a PIE (ET_DYN with an interpreter and no
     * DT_SONAME — libc.so.6 has an interpreter too, but is a library first).
     */
    public boolean isProgram() {
        return type == ET_EXEC || (type == ET_DYN && interpreter != null && soname == null);
    }

    /** A shared object: ET_DYN that is not a program. */
    public boolean isLibrary() {
        return type == ET_DYN && !isProgram();
    }

    /** Whether a library of {@code other}'s kind can satisfy this object (same class, byte order, machine). */
    public boolean compatibleWith(ElfInfo other) {
        return elfClass == other.elfClass && bigEndian == other.bigEndian && machine == other.machine;
    }

    /** The Debian multiarch triplet of the machine ({@code x86_64-linux-gnu}), or null. */
    public String multiarchTriplet() {
        if (machine == EM_X86_64) {
            return elfClass == 64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
        }
        if (machine == EM_AARCH64) {
            return bigEndian ? "aarch64_be-linux-gnu" : "aarch64-linux-gnu";
        }
        if (machine == EM_386) {
            return "i386-linux-gnu";
        }
        if (machine == EM_ARM) {
            return "arm-linux-gnueabihf";
        }
        if (machine == EM_RISCV) {
            return "riscv64-linux-gnu";
        }
        return null;
    }
}
