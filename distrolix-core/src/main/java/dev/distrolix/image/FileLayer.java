package dev.distrolix.image;

import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/** A layer whose blob is a file we wrote (a build's output or the layer cache's entry). */
public record FileLayer(LayerBlob blob) implements BlobLayer {
    public FileLayer {
        Objects.requireNonNull(blob, "blob");
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
