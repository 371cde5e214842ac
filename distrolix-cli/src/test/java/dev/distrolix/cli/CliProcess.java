package dev.distrolix.cli;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in a fresh JVM, for what needs its own environment (SOURCE_DATE_EPOCH, PATH) or a kill. */
final class CliProcess {
    private CliProcess() {}

    /**
     * As {@code bin/distrolix} runs a short command: C1 alone, the serial collector, and distrolix's native
     * libraries where the build made them (hashing, deflating; zstd's in place). The tests start a few hundred such
     * JVMs (HostileInputTest, KillCliTest): 0.88x the time and 0.78x the CPU of a default JVM each (interleaved, two
     * inspects and a build, 7 pairs). The Java implementations keep their own tests, in-process.
     */
    private static final List<String> JVM_OPTIONS = jvmOptions();

    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Path dir = Fixtures.repo().resolve("distrolix-cli/target/native/linux/"
                + (System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64"));
        for (String[] lib : new String[][] {{"distrolix.crypto.jni", "libdistrolix-crypto.so"},
                {"distrolix.zlib.jni", "libdistrolix-zlib.so"}, {"distrolix.xz.jni", "libdistrolix-xz.so"},
                {"distrolix.isal.jni", "libdistrolix-isal.so"}}) {
            if (java.nio.file.Files.isRegularFile(dir.resolve(lib[1]))) {
                options.add("-D" + lib[0] + "=" + dir.resolve(lib[1]));
            }
        }
        // SQLite's as bin/distrolix names it: else each JVM copies it into the temp folder (left there when killed)
        Path sqlite = dir.resolve("../../sqlite/org/sqlite/native/Linux")
                .resolve(System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64").normalize();
        if (java.nio.file.Files.isRegularFile(sqlite.resolve("libsqlitejdbc.so"))) {
            options.add("-Dorg.sqlite.lib.path=" + sqlite);
        }
        try (var zstd = java.nio.file.Files.newDirectoryStream(dir, "libzstd-jni-*.so")) {
            for (Path p : zstd) {
                options.add("-DZstdNativePath=" + p);
            }
        } catch (java.io.IOException notBuilt) {
            // zstd-jni unpacks its own library then
        }
        return List.copyOf(options);
    }

    static Cli run(Map<String, String> env, Path workDir, String... args) {
        Fixtures.Exit e = Fixtures.exec(builder(env, workDir, args));
        return new Cli(e.code(), e.out(), e.err());
    }

    /** Runs the CLI with {@code stdin} as its standard input. */
    static Cli runWithInput(Map<String, String> env, Path workDir, Path stdin, String... args) {
        Fixtures.Exit e = Fixtures.exec(builder(env, workDir, args).redirectInput(stdin.toFile()));
        return new Cli(e.code(), e.out(), e.err());
    }

    /** Starts the CLI without waiting (to kill it midway); stdout and stderr go to {@code log}. */
    static Process start(Map<String, String> env, Path workDir, Path log, String... args) throws IOException {
        return builder(env, workDir, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static ProcessBuilder builder(Map<String, String> env, Path workDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Distrolix.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        return pb;
    }
}
