package dev.distrolix.debug;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs scripts with the real busybox sh of the fixtures: the sh the toolkit ships. */
final class Sh {
    private Sh() {}

    record Result(int exit, String out, String err) {}

    static String busybox() {
        return Fixtures.storePath("busybox") + "/bin/sh";
    }

    /** Runs {@code argv} (argv[0] "sh" is replaced by busybox's sh) with an environment and a stdin text. */
    static Result run(List<String> argv, Map<String, String> env, String stdin) {
        List<String> cmd = new ArrayList<>(argv);
        cmd.set(0, busybox());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", Fixtures.storePath("busybox") + "/bin");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
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
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sh did not finish: " + argv);
            }
            t.join();
            return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
