package dev.distrolix.nix.substituter;

import dev.distrolix.nix.Nix32;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A sha256 NAR hash. Nix reads any form (sha256:nix32, sha256:hex, sha256:base64, SRI sha256-base64)
 * and always renders {@code sha256:} + Nix32 in fingerprints and narinfo files; so does {@link #toString()}.
 */
public final class NarHash {
    private final byte[] bytes;

    private NarHash(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a sha256 hash has 32 bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static NarHash ofBytes(byte[] sha256) {
        return new NarHash(sha256);
    }

    /** Parses any of Nix's renderings of a sha256 hash; anything else is an IllegalArgumentException. */
    public static NarHash parse(String s) {
        String body;
        if (s.startsWith("sha256:")) {
            body = s.substring(7);
        } else if (s.startsWith("sha256-")) {
            return new NarHash(base64(s.substring(7), s));
        } else {
            throw new IllegalArgumentException("not a sha256 hash (sha256:… or sha256-…): '" + s + "'");
        }
        if (body.length() == 52) {
            return new NarHash(Nix32.decode(body, 32));
        }
        if (body.length() == 64 && isHex(body)) { // no regular expression: a closure read has thousands
            return new NarHash(HexFormat.of().parseHex(body));
        }
        if (body.length() == 44) {
            return new NarHash(base64(body, s));
        }
        throw new IllegalArgumentException("not a sha256 hash: '" + s + "'");
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!HexFormat.isHexDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] base64(String b, String whole) {
        try {
            return Base64.getDecoder().decode(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sha256 hash (bad base64): '" + whole + "'");
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Nix32 (Nix's printHash32). */
    public static String nix32(byte[] hash) {
        return Nix32.encode(hash);
    }

    @Override
    public String toString() {
        return "sha256:" + nix32(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NarHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
