package dev.distrolix.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real skopeo/umoci/podman binaries; tests never mock them. */
final class RealTools {
    private RealTools() {}

    record Result(int exit, String stdout, String stderr) {}

    static Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs the command and returns stdout; fails the test with stderr if it exits non-zero. */
    static String ok(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /** Removes an image from podman's store; ignores "image not known". */
    static void podmanRmi(String... names) throws IOException, InterruptedException {
        for (String n : names) {
            run("podman", "rmi", "-f", n);
        }
    }
}
