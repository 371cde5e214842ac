package dev.distrolix.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository and the real Nix fixtures that testing/build-fixtures.sh built. A missing
 * fixture fails the test (CI must build them), it never skips it.
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path repo() {
        String p = System.getProperty("distrolix.repo");
        Path dir = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testing"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no testing/ folder above " + p + ")");
        }
        return dir;
    }

    /** The store path of a fixture by its build-fixtures.sh name (nginx, busybox, jre, tiny-big, …). */
    public static String storePath(String name) {
        Path link = repo().resolve("testing/result").resolve(name);
        try {
            return link.toRealPath().toString();
        } catch (IOException e) {
            throw new IllegalStateException("fixture '" + name + "' is not built: run testing/build-fixtures.sh", e);
        }
    }

    /** The Debian-backed package set, usable as nixpkgs. */
    public static Path debianPackageSet() {
        return repo().resolve("testing/debian-pkgs");
    }

    /** Writes {@code file} as a /bin/sh script running {@code body}, executable (a program a test puts on PATH). */
    public static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** What a finished process printed and returned. */
    public record Exit(int code, String out, String err) {}

    /** Starts the process with no stdin, collects stdout and stderr (concurrently, so neither pipe blocks). */
    public static Exit exec(ProcessBuilder pb) {
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            var err = new java.io.ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process died: its exit code tells
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int rc = p.waitFor();
            t.join();
            return new Exit(rc, out, err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + pb.command().get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command, returns its stdout, fails with its stderr on a non-zero exit. */
    public static String run(String... command) {
        Exit e = exec(new ProcessBuilder(command));
        if (e.code() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + e.code() + ": " + e.err());
        }
        return e.out();
    }
}
