package dev.distrolix.image;

import dev.distrolix.blob.Digest;
import dev.distrolix.tar.LayerBlob;

/** A layer this process made: its digests, sizes and media type are those of the {@link LayerBlob} that was written. */
public interface BlobLayer extends Layer {
    LayerBlob blob();

    @Override
    default Digest digest() {
        return blob().digest();
    }

    @Override
    default Digest diffId() {
        return blob().diffId();
    }

    @Override
    default long size() {
        return blob().size();
    }

    @Override
    default String mediaType() {
        return blob().mediaType();
    }

    @Override
    default long uncompressedSize() {
        return blob().uncompressedSize();
    }
}
