package dev.distrolix.image;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One layer of an image, wherever it lives (a file we built, the cache, an OCI layout, an
 * archive, a registry): go-containerregistry's {@code v1.Layer}. Every stream it opens is
 * checked as it is read — reaching the end of a blob whose bytes do not match {@link #digest()}
 * and {@link #size()}, or of a tar that does not hash to {@link #diffId()}, throws an
 * {@link dev.distrolix.InputException} naming the layer. Read streams to the end.
 */
public interface Layer {
    /** Digest of the blob as stored (compressed, or the tar itself). */
    Digest digest();

    /** Digest of the uncompressed tar ({@code rootfs.diff_ids}). */
    Digest diffId();

    /** Size of the blob as stored. */
    long size();

    /** OCI or Docker layer media type. */
    String mediaType();

    /** Size of the uncompressed tar, or -1 where the source does not know it without reading. */
    default long uncompressedSize() {
        return -1;
    }

    /** The blob as stored, checked against {@link #digest()} and {@link #size()} at its end. */
    default InputStream compressed() throws IOException {
        return VerifyingInputStream.ofImage(openRaw(), digest(), size(), label());
    }

    /**
     * The uncompressed tar. Compression is read from the blob's magic bytes, whatever the media
     * type claims; the blob and the tar are both checked at the end.
     */
    default LayerStream uncompressed() throws IOException {
        return LayerStream.open(this, openRaw(), label());
    }

    /**
     * The blob as stored, unchecked; {@link #compressed()} and {@link #uncompressed()} add the
     * checks. Implementations provide this one.
     */
    InputStream openRaw() throws IOException;

    /** Names the layer in messages: where it is from and which it is. */
    default String label() {
        return "layer " + digest().toString().substring(0, 19) + "…";
    }

    /** How the media type says the blob is compressed. */
    default Compression compression() {
        return Compression.ofMediaType(mediaType());
    }

    /** The descriptor a manifest lists for this layer. */
    default Descriptor descriptor() {
        return Descriptor.of(mediaType(), digest(), size());
    }
}
