package dev.distrolix.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Debian-backed package set (testing/debian-pkgs) builds each Nix system from that system's
 * .debs: for {@code --argstr system S}, every derivation says S and every ELF file of the runtime
 * closure is S's machine, with S's ELF interpreter. A derivation marked aarch64-linux that holds
 * x86-64 binaries (what the fixture once built silently) fails here. The arm64 programs run
 * through qemu user emulation (binfmt_misc; testing/install-tools.sh sets it and Nix's
 * extra-platforms up).
 */
@IntegrationTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DebianPackageSetTest {
    /** A Nix system the package set supports, with what its binaries must look like. */
    enum Sys {
        X86_64("x86_64-linux", 0x3e, "x86_64", "ld-linux-x86-64.so.2", ""),
        AARCH64("aarch64-linux", 0xb7, "aarch64", "ld-linux-aarch64.so.1", "-arm64");

        final String nix;
        final int elfMachine;
        final String unameM;
        final String ldso;
        /** Suffix of the testing/build-fixtures.sh names (nginx, nginx-arm64, ...). */
        final String fixtureSuffix;

        Sys(String nix, int elfMachine, String unameM, String ldso, String fixtureSuffix) {
            this.nix = nix;
            this.elfMachine = elfMachine;
            this.unameM = unameM;
            this.ldso = ldso;
            this.fixtureSuffix = fixtureSuffix;
        }
    }

    static final int EM_X86_64 = 0x3e;
    static final int EM_AARCH64 = 0xb7;
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Sys.class)
    void nginxClosureIsMadeOfTheSystemsBinaries(Sys sys) throws IOException {
        String nginx = build(sys, "nginx");

        Elf bin = Elf.read(Path.of(nginx, "bin/nginx"));
        assertThat(bin.machine()).as("e_machine of %s/bin/nginx", nginx).isEqualTo(sys.elfMachine);
        List<String> closure = closure(nginx);
        assertThat(closure).hasSize(6);
        String glibc = only(closure, "-glibc-");
        assertThat(bin.interpreter()).isEqualTo(glibc + "/lib/" + sys.ldso);
        assertThat(Elf.read(Path.of(glibc, "lib/libc.so.6")).machine()).isEqualTo(sys.elfMachine);
        assertThat(Elf.read(Path.of(glibc, "lib", sys.ldso)).machine()).isEqualTo(sys.elfMachine);

        // every ELF file of every store path, not only the ones named above
        Map<Path, Integer> elves = elfMachines(closure);
        assertThat(elves).as("ELF files in the closure of %s", nginx).hasSizeGreaterThan(20);
        assertThat(elves).allSatisfy((file, machine) ->
                assertThat(machine).as("e_machine of %s", file).isEqualTo(sys.elfMachine));

        // and every store path comes from a derivation of that system
        assertThat(derivationSystems(sys, "nginx", closure)).containsOnlyKeys(closure)
                .allSatisfy((path, system) -> assertThat(system).as("system of %s's derivation", path).isEqualTo(sys.nix));

        // the fixture that testing/build-fixtures.sh keeps warm is this very build
        assertThat(Fixtures.storePath("nginx" + sys.fixtureSuffix)).isEqualTo(nginx);

        // it runs (arm64: under qemu): interpreter and RUNPATH resolve inside the closure
        Fixtures.Exit v = Fixtures.exec(new ProcessBuilder(nginx + "/bin/nginx", "-v"));
        assertThat(v.code()).as("nginx -v: %s", v.err()).isZero();
        assertThat(v.err()).startsWith("nginx version: nginx/");
    }

    @ParameterizedTest
    @EnumSource(Sys.class)
    void busyboxRunsAsTheSystemsProgram(Sys sys) throws IOException {
        String busybox = build(sys, "busybox");
        assertThat(Elf.read(Path.of(busybox, "bin/busybox")).machine()).isEqualTo(sys.elfMachine);
        List<String> closure = closure(busybox);
        assertThat(elfMachines(closure)).allSatisfy((file, machine) ->
                assertThat(machine).as("e_machine of %s", file).isEqualTo(sys.elfMachine));
        assertThat(derivationSystems(sys, "busybox", closure)).containsOnlyKeys(closure)
                .allSatisfy((path, system) -> assertThat(system).as("system of %s's derivation", path).isEqualTo(sys.nix));
        assertThat(Fixtures.storePath("busybox" + sys.fixtureSuffix)).isEqualTo(busybox);

        // The kernel reports the machine the program believes it runs on: on this x86_64 host
        // an aarch64 busybox saying "aarch64" ran under qemu user emulation.
        assertThat(Fixtures.run(busybox + "/bin/busybox", "uname", "-m").strip()).isEqualTo(sys.unameM);
        // the applet links work too (sh -> busybox)
        assertThat(Fixtures.run(busybox + "/bin/sh", "-c", "echo $((6 * 7))").strip()).isEqualTo("42");
        if (sys == Sys.AARCH64 && hostIsX86_64()) {
            String reg = Files.readString(Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64"));
            assertThat(reg).as("binfmt_misc registration of qemu-aarch64").contains("enabled").containsPattern("(?m)^flags: [A-Z]*F");
        }
    }

    /**
     * What the checks above are for: Nix (with extra-platforms) builds a derivation marked
     * aarch64-linux whatever it holds; here one that copies the x86-64 busybox. Its derivation
     * says aarch64-linux, only the ELF header tells the truth.
     */
    @Test
    void anAarch64DerivationHoldingX86BinariesIsCaught(@TempDir Path dir) throws IOException {
        Path expr = dir.resolve("liar.nix");
        Files.writeString(expr, """
                { pkgs }:
                derivation {
                  name = "distrolix-test-liar";
                  system = "aarch64-linux";
                  builder = "/bin/sh";
                  PATH = "/usr/bin:/bin";
                  args = [ "-e" "-c" "mkdir -p $out/bin; cp ${(import pkgs { system = "x86_64-linux"; }).busybox}/bin/busybox $out/bin/" ];
                }
                """);
        String pkgs = Fixtures.debianPackageSet().toString();
        String liar = Fixtures.run(nixBuild("nix-build", expr.toString(), "--arg", "pkgs", pkgs, "--no-out-link")).strip();

        String drv = Fixtures.run(nixBuild("nix-instantiate", expr.toString(), "--arg", "pkgs", pkgs)).strip();
        assertThat(showDerivation(drv, false).get(drv).path("system").asText()).isEqualTo("aarch64-linux");
        assertThat(Elf.read(Path.of(liar, "bin/busybox")).machine()).isEqualTo(EM_X86_64).isNotEqualTo(EM_AARCH64);
        assertThat(elfMachines(List.of(liar))).containsEntry(Path.of(liar, "bin/busybox"), EM_X86_64);
    }

    @Test
    void anotherSystemIsRefusedClearly() {
        Fixtures.Exit e = Fixtures.exec(new ProcessBuilder(nixBuild("nix-instantiate",
                Fixtures.debianPackageSet().toString(), "-A", "nginx", "--argstr", "system", "riscv64-linux")));
        assertThat(e.code()).isNotZero();
        assertThat(e.err()).contains("testing/debian-pkgs: system 'riscv64-linux' is not supported (only aarch64-linux and x86_64-linux)");
    }

    // ---- helpers

    /** nix-build of one attribute of the package set for the system; its store path. */
    static String build(Sys sys, String attr) {
        Fixtures.Exit e = Fixtures.exec(new ProcessBuilder(nixBuild("nix-build",
                Fixtures.debianPackageSet().toString(), "-A", attr, "--argstr", "system", sys.nix, "--no-out-link")));
        if (e.code() != 0) {
            throw new AssertionError("nix-build -A " + attr + " --argstr system " + sys.nix + " exited " + e.code()
                    + " (the .debs: testing/build-fixtures.sh; aarch64-linux: qemu binfmt and Nix's extra-platforms,"
                    + " testing/install-tools.sh): " + e.err());
        }
        String out = e.out().strip();
        assertThat(out).startsWith("/nix/store/").doesNotContain("\n");
        return out;
    }

    /** A Nix command that does not try the unreachable cache.nixos.org. */
    static String[] nixBuild(String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "--option", "substituters", ""));
        cmd.addAll(Arrays.asList(args));
        return cmd.toArray(String[]::new);
    }

    static List<String> closure(String path) {
        return Fixtures.run("nix-store", "-qR", path).lines().filter(l -> !l.isBlank()).toList();
    }

    static String only(List<String> paths, String marker) {
        List<String> m = paths.stream().filter(p -> p.contains(marker)).toList();
        assertThat(m).as("store paths containing %s in %s", marker, paths).hasSize(1);
        return m.get(0);
    }

    /** For each output path of the attribute's derivation and of all derivations below it: its derivation's system. */
    static Map<String, String> derivationSystems(Sys sys, String attr, List<String> closure) throws IOException {
        String drv = Fixtures.run(nixBuild("nix-instantiate", Fixtures.debianPackageSet().toString(), "-A", attr,
                "--argstr", "system", sys.nix)).strip();
        Map<String, String> byOutput = new HashMap<>();
        showDerivation(drv, true).fields().forEachRemaining(d -> d.getValue().path("outputs").forEach(o ->
                byOutput.put(o.path("path").asText(), d.getValue().path("system").asText())));
        Map<String, String> result = new HashMap<>();
        for (String p : closure) {
            result.put(p, byOutput.getOrDefault(p, "<no derivation below " + drv + ">"));
        }
        return result;
    }

    static JsonNode showDerivation(String drv, boolean recursive) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nix", "--extra-experimental-features", "nix-command", "show-derivation"));
        if (recursive) {
            cmd.add("-r");
        }
        cmd.add(drv);
        return JSON.readTree(Fixtures.run(cmd.toArray(String[]::new)));
    }

    /** Every regular ELF file (symlinks not followed) under the store paths, with its e_machine. */
    static Map<Path, Integer> elfMachines(List<String> storePaths) throws IOException {
        Map<Path, Integer> result = new HashMap<>();
        for (String sp : storePaths) {
            try (Stream<Path> files = Files.walk(Path.of(sp))) {
                files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).forEach(f -> {
                    byte[] head = readHead(f, 20);
                    if (head.length == 20 && Elf.isElf(head)) {
                        result.put(f, (head[18] & 0xff) | (head[19] & 0xff) << 8);
                    }
                });
            }
        }
        return result;
    }

    static byte[] readHead(Path f, int n) {
        try (InputStream in = Files.newInputStream(f)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean hostIsX86_64() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") || a.equals("x86_64");
    }

    /** The parts of a 64-bit little-endian ELF header this test reads (both systems are such). */
    record Elf(int machine, String interpreter) {
        static final int PT_INTERP = 3;

        static boolean isElf(byte[] h) {
            return h.length >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
        }

        /** e_machine (u16 LE at offset 18) and the PT_INTERP string ("" without one). */
        static Elf read(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, h, 0);
                byte[] ident = Arrays.copyOf(h.array(), 16);
                assertThat(isElf(ident)).as("ELF magic 7f 45 4c 46 of %s", file).isTrue();
                assertThat(ident[4]).as("ELFCLASS64 of %s", file).isEqualTo((byte) 2);
                assertThat(ident[5]).as("ELFDATA2LSB of %s", file).isEqualTo((byte) 1);
                int machine = Short.toUnsignedInt(h.getShort(18));
                long phoff = h.getLong(32);
                int phentsize = Short.toUnsignedInt(h.getShort(54));
                int phnum = Short.toUnsignedInt(h.getShort(56));
                String interp = "";
                for (int i = 0; i < phnum; i++) {
                    ByteBuffer ph = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, ph, phoff + (long) i * phentsize);
                    if (ph.getInt(0) == PT_INTERP) {
                        long off = ph.getLong(8);
                        int size = Math.toIntExact(ph.getLong(32));
                        ByteBuffer s = ByteBuffer.allocate(size);
                        readFully(ch, s, off);
                        interp = new String(s.array(), 0, Math.max(0, size - 1), java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
                return new Elf(machine, interp);
            }
        }

        private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    throw new IOException("truncated ELF file");
                }
            }
        }
    }
}
