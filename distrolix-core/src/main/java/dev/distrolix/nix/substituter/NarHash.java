package dev.distrolix.nix.substituter;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A sha256 NAR hash. Nix reads any form (sha256:nix32, sha256:hex, sha256:base64, SRI sha256-base64)
 * and always renders {@code sha256:} + Nix32 in fingerprints and narinfo files; so does {@link #toString()}.
 */
public final class NarHash {
    static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";
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
            return new NarHash(nix32Decode(body));
        }
        if (body.length() == 64 && body.matches("[0-9a-fA-F]{64}")) {
            return new NarHash(HexFormat.of().parseHex(body));
        }
        if (body.length() == 44) {
            return new NarHash(base64(body, s));
        }
        throw new IllegalArgumentException("not a sha256 hash: '" + s + "'");
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

    /** Nix32: from the last byte, 5 bits a character, no padding (Nix's printHash32). */
    public static String nix32(byte[] hash) {
        int len = (hash.length * 8 - 1) / 5 + 1;
        StringBuilder s = new StringBuilder(len);
        for (int n = len - 1; n >= 0; n--) {
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            int c = ((hash[i] & 0xff) >> j) | (i >= hash.length - 1 ? 0 : (hash[i + 1] & 0xff) << (8 - j));
            s.append(ALPHABET.charAt(c & 0x1f));
        }
        return s.toString();
    }

    static byte[] nix32Decode(String s) {
        byte[] hash = new byte[32];
        int len = s.length();
        if (len != 52) {
            throw new IllegalArgumentException("a Nix32 sha256 has 52 characters: '" + s + "'");
        }
        for (int n = 0; n < len; n++) {
            int digit = ALPHABET.indexOf(s.charAt(len - n - 1));
            if (digit < 0) {
                throw new IllegalArgumentException("not a Nix32 character '" + s.charAt(len - n - 1) + "' in '" + s + "'");
            }
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            hash[i] |= (byte) (digit << j);
            int carry = digit >> (8 - j);
            if (i < hash.length - 1) {
                hash[i + 1] |= (byte) carry;
            } else if (carry != 0) {
                throw new IllegalArgumentException("Nix32 hash out of range: '" + s + "'");
            }
        }
        return hash;
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
