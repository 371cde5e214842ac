package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import dev.distrolix.blob.Digest;
import java.nio.file.Path;

/**
 * A finished layer: its blob on disk, the digest of the blob as stored, the diff_id (sha256 of
 * the uncompressed tar) and both sizes.
 */
public record LayerBlob(Path file, Digest digest, long size, Digest diffId, long uncompressedSize,
                        Compression compression) {
    public String mediaType() {
        return compression.mediaType();
    }
}
