package dev.distrolix.blob;

import dev.distrolix.NativeLibraries;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A content digest {@code sha256:<64 lowercase hex>}. */
public record Digest(String algorithm, String hex) {
    /**
     * A fresh SHA-256 is a clone of this one, never used itself: MessageDigest.getInstance looks the provider's
     * service up each time (a build makes one per layer, key and blob: ~9 ms of a 3,000-path build). OpenSSL's
     * where {@code bin/distrolix} names distrolix's library for it ({@link Sha256Jni}), else the JDK's.
     */
    private static final MessageDigest SHA256 = prototype();

    public Digest {
        if (!algorithm.equals("sha256") || !isSha256Hex(hex)) {
            throw new IllegalArgumentException("not a sha256 digest: " + algorithm + ":" + hex);
        }
    }

    public static Digest parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a digest: " + s);
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    /** The sha256 of a file's bytes, streamed. */
    public static Digest sha256(java.nio.file.Path file) throws java.io.IOException {
        MessageDigest md = newSha256();
        try (java.io.InputStream in = new java.security.DigestInputStream(java.nio.file.Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return ofSha256(md);
    }

    // Written out: a record's generated equals and hashCode are linked on first call through method handles that
    // the JVM's start-up archives do not keep (the first such call in a run ~10 ms).
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + hex.hashCode();
    }

    public static Digest ofSha256(MessageDigest md) {
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    public static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return getSha256(); // a provider whose SHA-256 cannot be cloned
        }
    }

    private static MessageDigest prototype() {
        return NativeLibraries.usable(NativeLibraries.CRYPTO, Sha256Jni::load) ? Sha256Jni.fresh() : getSha256();
    }

    private static MessageDigest getSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 64 lowercase hex digits (a loop: a regular expression per digest was a hot spot of reading many). */
    public static boolean isSha256Hex(String hex) {
        if (hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
