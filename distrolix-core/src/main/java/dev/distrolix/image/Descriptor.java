package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI content descriptor. {@code annotations} is never null (empty = omitted from JSON) and
 * always an unmodifiable map sorted in {@link CanonicalJson#UTF8_ORDER};
 * {@code platform} is null when absent — the spec allows it only on index entries.
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
                         Platform platform) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative descriptor size " + size);
        }
        annotations = CanonicalJson.sortedCopy(annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null);
    }

    /** The same descriptor with these annotations added (replacing equal keys). */
    public Descriptor withAnnotations(Map<String, String> more) {
        TreeMap<String, String> merged = new TreeMap<>(CanonicalJson.UTF8_ORDER);
        merged.putAll(annotations);
        merged.putAll(more);
        return new Descriptor(mediaType, digest, size, merged, platform);
    }

    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, digest, size, annotations, p);
    }

    // Written out: a record's generated equals and hashCode are linked on first call through method handles that
    // no start-up archive keeps (~10 classes spun, ~10 ms): `inspect` of an index compared its entries this way.
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Descriptor d && size == d.size && digest.equals(d.digest)
                && mediaType.equals(d.mediaType) && annotations.equals(d.annotations)
                && Objects.equals(platform, d.platform);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mediaType, digest, size, annotations, platform);
    }
}
