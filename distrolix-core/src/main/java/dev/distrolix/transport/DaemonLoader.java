package dev.distrolix.transport;

import dev.distrolix.image.Image;
import dev.distrolix.transport.ImageReference.Engine;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loads an image into podman or Docker by streaming a docker-archive into {@code <engine> load}
 * on its stdin: no temp file, so no disk space twice and nothing to clean up. Docker-archive
 * rather than oci-archive because it is the one format every engine version loads with a name.
 */
public final class DaemonLoader {
    private DaemonLoader() {}

    /** Returns the name the engine reports ("Loaded image: …"), or {@code name} if it reports none. */
    public static String load(Image img, Engine engine, ImageName name) throws IOException {
        return load(img, name, engine.command());
    }

    /** {@code program} is the engine's executable (a name on PATH or a path), run as {@code program load -q}. */
    static String load(Image img, ImageName name, String program) throws IOException {
        List<String> command = List.of(program, "load", "-q");
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ImageOutputException(program + " is not installed or cannot be run (" + shortReason(e)
                    + "); install it or choose another output", e);
        }
        CompletableFuture<byte[]> stdout = drain(p.getInputStream());
        CompletableFuture<byte[]> stderr = drain(p.getErrorStream());
        IOException writeFailure = null;
        try (OutputStream in = new BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
            DockerArchiveWriter.writeTo(img, name, in);
        } catch (ImageOutputException | RuntimeException e) {
            p.destroy(); // our input is bad (e.g. a layer changed): the engine must not load half an image
            waitQuietly(p);
            throw e;
        } catch (IOException e) {
            writeFailure = e; // usually "Broken pipe": the engine quit early; its stderr says why
        }
        int exit = waitQuietly(p);
        String out = text(stdout);
        String err = text(stderr);
        if (exit != 0) {
            String why = err.isBlank() ? out : err;
            throw new ImageOutputException(program + " load failed (exit " + exit + "): "
                    + (why.isBlank() ? "no message" : oneLine(why)), writeFailure);
        }
        if (writeFailure != null) {
            throw new ImageOutputException("streaming the image into " + program + " load failed: "
                    + OutputFiles.oneLine(writeFailure), writeFailure);
        }
        return loadedName(out).orElse(name.toString());
    }

    /**
     * Before a build: the engine is installed and, for Docker, its daemon answers — so a build is
     * not wasted on an output that cannot take it.
     */
    static void checkEngine(Engine engine) throws ImageOutputException {
        List<String> command = engine == Engine.PODMAN
                ? List.of("podman", "version", "--format", "{{.Client.Version}}")
                : List.of("docker", "version", "--format", "{{.Server.Version}}");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageOutputException(engine.command() + " did not answer within 30 s");
            }
            if (p.exitValue() != 0) {
                String why = text(err);
                throw new ImageOutputException(engine.command() + " cannot take the image: "
                        + (why.isBlank() ? "exit " + p.exitValue() : oneLine(why)));
            }
        } catch (IOException e) {
            if (e instanceof ImageOutputException o) {
                throw o;
            }
            throw new ImageOutputException(engine.command() + " is not installed or cannot be run ("
                    + shortReason(e) + "); install it or choose another output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageOutputException(engine.command() + " check was interrupted");
        }
    }

    /** podman prints "Loaded image: NAME" (podman 4) or "Loaded image(s): A,B"; Docker "Loaded image: NAME". */
    static java.util.Optional<String> loadedName(String stdout) {
        for (String line : stdout.split("\\R")) {
            int colon = line.indexOf(':');
            if (line.startsWith("Loaded image") && colon > 0) {
                String names = line.substring(colon + 1).trim();
                int comma = names.indexOf(',');
                return java.util.Optional.of(comma < 0 ? names : names.substring(0, comma));
            }
        }
        return java.util.Optional.empty();
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        // read on another thread so a chatty engine cannot block on a full pipe while we write
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                s.transferTo(buf);
                return buf.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        }, r -> {
            Thread t = new Thread(r, "daemon-loader-drain");
            t.setDaemon(true);
            t.start();
        });
    }

    private static String text(CompletableFuture<byte[]> f) {
        try {
            return new String(f.get(), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException e) {
            return "";
        }
    }

    private static int waitQuietly(Process p) throws ImageOutputException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new ImageOutputException("interrupted while waiting for the image load", e);
        }
    }

    /** All non-empty lines joined: engines print the cause on one of several lines. */
    private static String oneLine(String s) {
        List<String> lines = new ArrayList<>();
        for (String l : s.split("\\R")) {
            if (!l.isBlank()) {
                lines.add(l.trim());
            }
        }
        return String.join("; ", lines);
    }

    private static String shortReason(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.contains("error=2") ? "not found on PATH" : OutputFiles.oneLine(e);
    }
}
