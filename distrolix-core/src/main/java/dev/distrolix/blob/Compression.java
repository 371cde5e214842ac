package dev.distrolix.blob;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * How a layer blob is compressed, and the one place blobs are decompressed. Levels are pinned:
 * they are part of every layer digest. A blob's real compression is read from its magic bytes
 * ({@link #detect}), never trusted from a media type alone.
 */
public enum Compression {
    GZIP(Compression.OCI_LAYER_GZIP, 6),
    ZSTD(Compression.OCI_LAYER_ZSTD, 3),
    NONE(Compression.OCI_LAYER_TAR, 0);

    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    private final String mediaType;
    private final int defaultLevel;

    Compression(String mediaType, int defaultLevel) {
        this.mediaType = mediaType;
        this.defaultLevel = defaultLevel;
    }

    /** The OCI layer media type of a blob compressed this way. */
    public String mediaType() {
        return mediaType;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** gzip, zstd or none (any case); anything else is an an IllegalArgumentException. */
    public static Compression parse(String s) {
        for (Compression c : values()) {
            if (c.name().equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + s + "' (expected gzip, zstd or none)");
    }

    /** What a layer media type claims (OCI or Docker); NONE for an uncompressed or unknown one. */
    public static Compression ofMediaType(String mediaType) {
        String m = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        if (m.endsWith("gzip")) {
            return GZIP;
        }
        if (m.endsWith("zstd")) {
            return ZSTD;
        }
        return NONE;
    }

    /** The compression a blob's first bytes show (gzip 1f 8b, zstd 28 b5 2f fd), else NONE. */
    public static Compression detect(byte[] magic) {
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /**
     * Decompresses a blob whose compression is {@code this} (concatenated gzip members included,
     * as pigz and our parallel writer produce them). {@code in} should be buffered.
     */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GzipMembersInputStream(in);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
            case NONE -> in;
        };
    }

    /** A blob opened for reading with its compression read from its magic bytes. */
    public record Detected(Compression compression, BufferedInputStream blob) {
        public InputStream decompressed() throws IOException {
            return compression.decompress(blob);
        }
    }

    /** Buffers {@code blob}, peeks at its magic bytes, and says how it is compressed. */
    public static Detected sniff(InputStream blob) throws IOException {
        BufferedInputStream buffered = blob instanceof BufferedInputStream b ? b : new BufferedInputStream(blob, 1 << 16);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        return new Detected(detect(magic), buffered);
    }
}
