package dev.distrolix.inspect.source;

import dev.distrolix.inspect.OciImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An opened image: its {@link OciImage} view and what backs it (an open archive, a temporary
 * {@code podman save} file). Layers can be streamed until {@link #close()}, which also deletes
 * any temporary file.
 */
public final class ImageHandle implements AutoCloseable {
    private final ImageSource source;
    private final OciImage image;
    private final Closeable files;
    private final Path tempFile;

    ImageHandle(ImageSource source, OciImage image, Closeable files, Path tempFile) {
        this.source = source;
        this.image = image;
        this.files = files;
        this.tempFile = tempFile;
    }

    public ImageSource source() {
        return source;
    }

    public OciImage image() {
        return image;
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (IOException ignored) {
            // read-only access: nothing to lose
        }
        deleteQuietly(tempFile);
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file; the JVM exit hook tries again
            }
        }
    }
}
