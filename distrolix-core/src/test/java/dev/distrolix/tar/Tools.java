package dev.distrolix.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs the real tools (GNU tar, bsdtar, python3, gzip, zstd, sha256sum, nix-store) for tests. */
public final class Tools {
    private Tools() {}

    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A missing tool fails the test: CI installs every tool (testing/install-tools.sh), nothing is skipped. */
    public static void require(String... tools) {
        for (String t : tools) {
            if (!available(t)) {
                throw new AssertionError(t + " is not installed: run testing/install-tools.sh");
            }
        }
    }

    /** Runs a command (TZ=UTC, LC_ALL=C.UTF-8), failing the test unless it exits 0. */
    public static Result ok(String... cmd) {
        Result r = run(null, cmd);
        assertThat(r.exit()).as("exit of %s; stderr: %s", String.join(" ", cmd), r.stderr()).isZero();
        return r;
    }

    /** Runs {@code sh -c script}, failing the test unless it exits 0. */
    public static Result sh(String script) {
        return ok("sh", "-c", script);
    }

    public static Result run(byte[] stdin, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("TZ", "UTC");
            pb.environment().put("LC_ALL", "C.UTF-8");
            Process p = pb.start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            int exit = p.waitFor();
            return new Result(exit, out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First field of {@code sha256sum}'s output for a shell pipeline. */
    public static String sha256Of(String pipeline) {
        return sh(pipeline + " | sha256sum").out().split(" ")[0];
    }

    public static List<String> lines(Result r) {
        List<String> out = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    public static LayerEntry.RegularFile file(String path, int mode, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new LayerEntry.RegularFile(path, mode, LayerEntry.Ownership.ROOT, 1, b.length,
                () -> new ByteArrayInputStream(b));
    }

    public static LayerEntry.Directory dir(String path) {
        return new LayerEntry.Directory(path, 0755, LayerEntry.Ownership.ROOT, 1);
    }

    public static LayerEntry.Symlink link(String path, String target) {
        return new LayerEntry.Symlink(path, target, LayerEntry.Ownership.ROOT, 1);
    }

    /** The tar bytes of some entries, via the real writer. */
    public static byte[] tar(List<? extends LayerEntry> entries) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        LayerWriter.writeTar(out, sink -> {
            for (LayerEntry e : entries) {
                sink.accept(e);
            }
        });
        return out.toByteArray();
    }
}
