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
}
