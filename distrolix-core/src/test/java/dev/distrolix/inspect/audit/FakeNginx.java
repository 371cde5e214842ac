package dev.distrolix.inspect.audit;

import dev.distrolix.inspect.elf.ElfInfo;
import dev.distrolix.inspect.elf.TestElf;

/**
 * An nginx-shaped closure made of header-only ELF files: a glibc store path with its loader and
 * libc, an nginx store path with the program (the Entrypoint). The config says linux/amd64 until
 * {@link HandMadeImages#platform} says otherwise, whatever machine the files are built for.
 */
public final class FakeNginx {
    public static final String GLIBC = "nix/store/" + "g".repeat(32) + "-glibc-2.39";
    public static final String NGINX = "nix/store/" + "n".repeat(32) + "-nginx-1.26";
    public static final String PROGRAM = "/" + NGINX + "/bin/nginx";
    public static final String LD_AARCH64 = "/" + GLIBC + "/lib/ld-linux-aarch64.so.1";
    public static final String LD_X86_64 = "/" + GLIBC + "/lib/ld-linux-x86-64.so.2";

    private FakeNginx() {}

    /**
     * aarch64 files; also an object file and a program without an execute bit, which are never run
     * (so never counted).
     */
    public static HandMadeImages aarch64() {
        return new HandMadeImages()
                .layer(l -> l.dir(GLIBC + "/lib", 0555)
                        .file(LD_AARCH64.substring(1), 0555, TestElf.library(ElfInfo.EM_AARCH64, 64, false))
                        .file(GLIBC + "/lib/libc.so.6", 0555, TestElf.library(ElfInfo.EM_AARCH64, 64, false))
                        .file(GLIBC + "/lib/crt1.o", 0444, TestElf.object(ElfInfo.EM_AARCH64))
                        .file(GLIBC + "/share/testdata-exec", 0444, TestElf.aarch64(null))
                        .dir(NGINX + "/bin", 0555)
                        .file(PROGRAM.substring(1), 0555, TestElf.aarch64(LD_AARCH64)))
                .config(c -> c.putArray("Entrypoint").add(PROGRAM));
    }

    public static HandMadeImages x86_64() {
        return new HandMadeImages()
                .layer(l -> l.dir(GLIBC + "/lib", 0555)
                        .file(LD_X86_64.substring(1), 0555, TestElf.library(ElfInfo.EM_X86_64, 64, false))
                        .dir(NGINX + "/bin", 0555)
                        .file(PROGRAM.substring(1), 0555, TestElf.x86_64(LD_X86_64)))
                .config(c -> c.putArray("Entrypoint").add(PROGRAM));
    }
}
