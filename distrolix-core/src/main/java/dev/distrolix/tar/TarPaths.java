package dev.distrolix.tar;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The path rules of a layer tar: relative names ({@code nix/store/x}, never {@code ./} or
 * {@code /}-prefixed), and the one entry order every layer uses — depth-first pre-order with the
 * path components compared by unsigned UTF-8 bytes (the NAR order, extended to whole paths).
 */
public final class TarPaths {
    private TarPaths() {}

    /**
     * Checks a layer entry path as {@link LayerEntry#path()} defines it and returns its UTF-8 bytes.
     *
     * @throws IllegalArgumentException naming the path if it is empty, absolute, ends with "/",
     *     has an empty, "." or ".." component, contains NUL or is not valid Unicode
     */
    public static byte[] check(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty layer entry path");
        }
        if (path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("layer entry path must be relative without a trailing '/': '" + path + "'");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("layer entry path contains NUL: '" + path + "'");
        }
        for (String c : path.split("/", -1)) {
            if (c.isEmpty() || c.equals(".") || c.equals("..")) {
                throw new IllegalArgumentException("layer entry path has an empty, '.' or '..' component: '" + path + "'");
            }
        }
        return utf8(path, "path");
    }

    /**
     * Compares two checked paths in tar order. Mapping '/' to the lowest byte makes a plain
     * unsigned byte comparison equal to comparing component lists: a directory sorts before its
     * children, and "a/b" before "a-b" (component "a" is a prefix of "a-b"). Names never contain
     * NUL, so nothing collides with the mapped '/'.
     */
    public static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = a[i] == '/' ? 0 : a[i] & 0xff;
            int y = b[i] == '/' ? 0 : b[i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return a.length - b.length;
    }

    /** Compares two paths in tar order (see {@link #compare(byte[], byte[])}). */
    public static int compare(String a, String b) {
        return compare(utf8(a, "path"), utf8(b, "path"));
    }

    /** Strict UTF-8: an unpaired surrogate would otherwise become '?' silently and change the name. */
    static byte[] utf8(String s, String what) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode: '" + s + "'", e);
        }
    }
}
