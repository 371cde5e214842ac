package dev.distrolix.nix;

/**
 * Nix's base-32 ("nix32"): an alphabet without e, o, u and t, read from the last byte, 5 bits a character, no
 * padding (Nix's {@code printHash32}). Characters are looked up in a table, not found with {@code indexOf}: a closure
 * of 3,001 paths checks ~100,000 of them in a fresh JVM, where {@code indexOf} is a loop C1 does not replace
 * (~20 ms of a cold build's critical path).
 */
public final class Nix32 {
    public static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";
    /** Length of a store path's hash part. */
    public static final int HASH_LENGTH = 32;
    /** Each character's value, -1 for what is not one; indexed by a byte's or a char's low 8 bits where it is below 256. */
    private static final byte[] VALUE = new byte[256];

    static {
        java.util.Arrays.fill(VALUE, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUE[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Nix32() {}

    /** The character's value (0 to 31), or -1 when it is not one of the alphabet. */
    public static int value(char c) {
        return c < 256 ? VALUE[c] : -1;
    }

    /** Whether the byte is a nix32 character. */
    public static boolean isDigit(byte b) {
        return VALUE[b & 0xff] >= 0;
    }

    /** Whether {@code s} is a store path's hash part: {@value #HASH_LENGTH} characters of the alphabet. */
    public static boolean isHashPart(String s) {
        if (s.length() != HASH_LENGTH) {
            return false;
        }
        for (int i = 0; i < HASH_LENGTH; i++) {
            if (value(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** How many characters encode {@code size} bytes. */
    private static int length(int size) {
        return (size * 8 - 1) / 5 + 1;
    }

    public static String encode(byte[] bytes) {
        int len = length(bytes.length);
        StringBuilder s = new StringBuilder(len);
        for (int n = len - 1; n >= 0; n--) {
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            int c = ((bytes[i] & 0xff) >>> j) | (i + 1 < bytes.length ? (bytes[i + 1] & 0xff) << (8 - j) : 0);
            s.append(ALPHABET.charAt(c & 0x1f));
        }
        return s.toString();
    }

    /**
     * The {@code size} bytes that {@code s} encodes; {@code s} must have exactly the length {@link #encode} gives
     * them, and no bits past them.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code s}
     */
    public static byte[] decode(String s, int size) {
        int len = s.length();
        if (len != length(size)) {
            throw new IllegalArgumentException("a Nix32 hash of " + size + " bytes has " + length(size)
                    + " characters: '" + s + "'");
        }
        byte[] bytes = new byte[size];
        for (int n = 0; n < len; n++) {
            char ch = s.charAt(len - n - 1);
            int digit = value(ch);
            if (digit < 0) {
                throw new IllegalArgumentException("not a Nix32 character '" + ch + "' in '" + s + "'");
            }
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            bytes[i] |= (byte) (digit << j);
            int carry = digit >> (8 - j);
            if (i < size - 1) {
                bytes[i + 1] |= (byte) carry;
            } else if (carry != 0) {
                throw new IllegalArgumentException("Nix32 hash out of range: '" + s + "'");
            }
        }
        return bytes;
    }
}
