package dev.distrolix.inspect;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;

/** A layer and its place in the image, base layer first ({@code index} 0), as the walkers report it. */
public record LayerInfo(int index, Layer layer) {
    public Digest digest() {
        return layer.digest();
    }

    public Digest diffId() {
        return layer.diffId();
    }

    public long size() {
        return layer.size();
    }

    public String mediaType() {
        return layer.mediaType();
    }

    /** Names the layer in messages ("oci:x: layer 3 (sha256:0123…)"). */
    public String label() {
        return layer.label();
    }

    public boolean compressedByMediaType() {
        return mediaType().endsWith("gzip") || mediaType().endsWith("zstd");
    }
}
