package dev.distrolix.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in a fresh JVM, for what needs its own environment (SOURCE_DATE_EPOCH, PATH). */
final class CliProcess {
    private CliProcess() {}

    static Cli run(Map<String, String> env, Path workDir, String... args) {
        try {
            Process p = builder(env, workDir, args).start();
            p.getOutputStream().close();
            var err = new java.io.ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // exit code tells
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            t.join();
            return new Cli(rc, out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
