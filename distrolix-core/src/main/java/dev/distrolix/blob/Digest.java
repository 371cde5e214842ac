package dev.distrolix.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest {@code sha256:<64 lowercase hex>}. */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (!algorithm.equals("sha256") || !SHA256_HEX.matcher(hex).matches()) {
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

    public static Digest ofSha256(MessageDigest md) {
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
