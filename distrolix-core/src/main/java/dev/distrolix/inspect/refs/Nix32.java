package dev.distrolix.inspect.refs;

/** Nix's base-32 ("nix32"): alphabet without e, o, u, t; the first character carries the last byte's high bits. */
public final class Nix32 {
    public static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";
    /** Length of a store path's hash part. */
    public static final int HASH_LENGTH = 32;
    private static final boolean[] IS_DIGIT = new boolean[256];

    static {
        for (char c : ALPHABET.toCharArray()) {
            IS_DIGIT[c] = true;
        }
    }

    private Nix32() {}

    /** Whether the byte is a nix32 character. */
    public static boolean isDigit(byte b) {
        return IS_DIGIT[b & 0xff];
    }

    public static String encode(byte[] bytes) {
        int len = (bytes.length * 8 - 1) / 5 + 1;
        StringBuilder sb = new StringBuilder(len);
        for (int n = len - 1; n >= 0; n--) {
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            int c = ((bytes[i] & 0xff) >>> j) | (i + 1 < bytes.length ? (bytes[i + 1] & 0xff) << (8 - j) : 0);
            sb.append(ALPHABET.charAt(c & 0x1f));
        }
        return sb.toString();
    }
}
