package dev.distrolix.inspect;

import dev.distrolix.blob.Digest;

/**
 * One layer as the manifest and config describe it, base layer first ({@code index} 0).
 * {@code digest}/{@code size} are the blob's (compressed) digest and size from the manifest;
 * {@code diffId} is the digest of the uncompressed tar from the config's {@code rootfs.diff_ids}.
 * For a docker-archive, which has no manifest, the digest is the blob's name when that is a digest
 * ({@code blobs/sha256/<hex>}), otherwise the diff_id (the blob is then the uncompressed tar), and
 * {@code size} is the member's size. {@code location} is the blob's path inside the image files.
 */
public record LayerInfo(int index, String mediaType, Digest digest, long size, Digest diffId, String location) {
    /** "layer 3 (sha256:0123456789ab…)", 1-based as people count layers. */
    public String label() {
        return "layer " + (index + 1) + " (" + digest.toString().substring(0, 19) + "…)";
    }

    public boolean compressedByMediaType() {
        return mediaType.endsWith("gzip") || mediaType.endsWith("zstd");
    }
}
