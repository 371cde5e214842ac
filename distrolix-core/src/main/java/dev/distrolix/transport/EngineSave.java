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

    static Path save(ImageSource.Engine source) throws IOException {
        Path dir = Files.createTempDirectory("distrolix-save-");
        dir.toFile().deleteOnExit();
        Path out = dir.resolve("image.tar");
        out.toFile().deleteOnExit();
        List<String> cmd = source.command().equals("podman")
                ? List.of("podman", "save", "--format", "oci-archive", "-o", out.toString(), source.name())
                : List.of("docker", "save", "-o", out.toString(), source.name());
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
                    throw new InputException(source.reference() + ": no such image in " + source.command() + " ("
                            + last + ")");
                }
                throw new IOException(source.command() + " save " + source.name() + " failed: " + last);
            }
            Path kept = Files.createTempFile("distrolix-save-", ".tar");
            kept.toFile().deleteOnExit();
            Files.move(out, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return kept;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Cannot run program")) {
                throw new IOException("cannot run " + source.command() + ": is it installed?", e);
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(source.command() + " save was interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(dir);
        }
    }
}
