package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import java.util.Objects;
import java.util.Set;

/**
 * A manifest or index exactly as stored (its digest is the sha256 of these bytes) with its media type.
 * The bytes are copied in and out.
 */
public record ManifestBytes(byte[] bytes, String mediaType, Digest digest) {
    /** What a pull accepts: OCI and Docker v2 manifests and indexes (no schema 1). */
    public static final Set<String> SUPPORTED = Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    public ManifestBytes {
        Objects.requireNonNull(mediaType, "mediaType");
        bytes = bytes.clone();
        if (!Digest.sha256(bytes).equals(digest)) {
            throw new IllegalArgumentException("manifest digest does not match its bytes");
        }
    }

    public static ManifestBytes of(byte[] bytes, String mediaType) {
        return new ManifestBytes(bytes, mediaType, Digest.sha256(bytes));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public long size() {
        return bytes.length;
    }

    /** An OCI index or Docker manifest list (a list of per-platform manifests). */
    public boolean isIndex() {
        return mediaType.equals(MediaTypes.OCI_INDEX) || mediaType.equals(MediaTypes.DOCKER_MANIFEST_LIST);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestBytes m && m.digest.equals(digest) && m.mediaType.equals(mediaType);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "ManifestBytes[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
    }
}
