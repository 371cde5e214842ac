package dev.distrolix.cli;

import dev.distrolix.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in a fresh JVM, for what needs its own environment (SOURCE_DATE_EPOCH, PATH). */
final class CliProcess {
    private CliProcess() {}

    static Cli run(Map<String, String> env, Path workDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        Fixtures.Exit e = Fixtures.exec(pb);
        return new Cli(e.code(), e.out(), e.err());
    }
}
