package dev.distrolix.tar;

import dev.distrolix.image.MediaTypes;

/** How a layer blob is compressed. Levels are pinned: they are part of every layer digest. */
public enum Compression {
    GZIP(MediaTypes.OCI_LAYER_GZIP, 6),
    ZSTD(MediaTypes.OCI_LAYER_ZSTD, 3),
    NONE(MediaTypes.OCI_LAYER_TAR, 0);

    private final String mediaType;
    private final int defaultLevel;

    Compression(String mediaType, int defaultLevel) {
        this.mediaType = mediaType;
        this.defaultLevel = defaultLevel;
    }

    public String mediaType() {
        return mediaType;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    public static Compression parse(String s) {
        for (Compression c : values()) {
            if (c.name().equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + s + "' (expected gzip, zstd or none)");
    }
}
