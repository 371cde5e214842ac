package dev.distrolix.transport;

import dev.distrolix.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Exports an image from podman or Docker into a temporary archive: {@code podman save --format
 * oci-archive} (keeps the manifest and compressed layers) or {@code docker save}. An unknown image
 * is the user's input error; anything else (no engine, no daemon) is a tool failure.
 */
final class EngineSave {
    private EngineSave() {}

    /** The manifest digest podman shows for an image ({@code podman image inspect --format '{{.Digest}}'}). */
    static java.util.Optional<dev.distrolix.blob.Digest> podmanDigest(ImageReference.Daemon source) {
        try {
            Process p = new ProcessBuilder("podman", "image", "inspect", "--format", "{{.Digest}}", "--",
                    source.engineReference()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || out.isEmpty()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(dev.distrolix.blob.Digest.parse(out.lines().findFirst().orElse(out)));
        } catch (IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    static Path save(ImageReference.Daemon source, String reference) throws IOException {
        Path dir = dev.distrolix.TempFiles.createTempDirectory("save"); // distrolix-PID-save-…: swept once PID is gone
        dir.toFile().deleteOnExit();
        Path out = dir.resolve("image.tar");
        out.toFile().deleteOnExit();
        String program = source.engine().command();
        // the name comes after "--": a name that looks like an option cannot reach the tool as one
        List<String> cmd = program.equals("podman")
                ? List.of("podman", "save", "--format", "oci-archive", "-o", out.toString(), "--", source.engineReference())
                : List.of("docker", "save", "-o", out.toString(), "--", source.engineReference());
        Path err = dir.resolve("stderr");
        err.toFile().deleteOnExit();
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            int rc = p.waitFor();
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (rc != 0) {
                String last = stderr.isEmpty() ? "exit code " + rc : stderr.lines().reduce((a, b) -> b).orElse(stderr);
                String lower = last.toLowerCase(Locale.ROOT);
                if (lower.contains("not known") || lower.contains("no such image") || lower.contains("not found")
                        || lower.contains("does not exist")) {
                    throw new InputException(reference + ": no such image in " + program + " ("
                            + last + ")");
                }
                throw new IOException(program + " save " + source.engineReference() + " failed: " + last);
            }
            Path kept = dev.distrolix.TempFiles.createTempFile("save", ".tar");
            kept.toFile().deleteOnExit();
            Files.move(out, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return kept;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Cannot run program")) {
                throw new IOException("cannot run " + program + ": is it installed?", e);
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(program + " save was interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(dir);
        }
    }
}
