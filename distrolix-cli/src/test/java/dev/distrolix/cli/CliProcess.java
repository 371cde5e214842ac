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
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        return pb;
    }
}
