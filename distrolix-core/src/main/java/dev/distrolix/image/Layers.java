package dev.distrolix.image;

import java.io.IOException;
import java.io.InputStream;

/** Values derived from any {@link Layer} (go-containerregistry's {@code partial}). */
public final class Layers {
    private Layers() {}

    /**
     * The size of the uncompressed tar: known for layers we built, else measured by streaming the
     * layer once — which also checks its digest and diff_id.
     */
    public static long uncompressedSize(Layer layer) throws IOException {
        long known = layer.uncompressedSize();
        if (known >= 0) {
            return known;
        }
        try (LayerStream in = layer.uncompressed()) {
            in.drain();
            return in.uncompressedSize();
        }
    }

    /** Reads a layer's blob to the end, checking its digest and size. */
    public static void verify(Layer layer) throws IOException {
        try (InputStream in = layer.compressed()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
