package dev.distrolix.image;

import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * A layer whose blob is a file we wrote (a build's output or the layer cache's entry). {@code owned}: the file is
 * this process's own, in a private folder nothing else writes to and that is deleted when the build ends, so an
 * output may take it by a hard link instead of a verified copy (a layer cache's file is never owned: an output
 * must not share storage with the cache).
 */
public record FileLayer(LayerBlob blob, boolean owned) implements BlobLayer {
    public FileLayer {
        Objects.requireNonNull(blob, "blob");
    }

    /** A file that is not this process's own (the layer cache's). */
    public FileLayer(LayerBlob blob) {
        this(blob, false);
    }

    @Override
    public InputStream openRaw() throws IOException {
        try {
            return Files.newInputStream(blob.file());
        } catch (NoSuchFileException e) {
            throw new dev.distrolix.FailureException("layer blob " + blob.file() + " is missing", e);
        }
    }

    @Override
    public String label() {
        return "layer " + blob.digest().toString().substring(0, 19) + "… (" + blob.file().getFileName() + ")";
    }
}
