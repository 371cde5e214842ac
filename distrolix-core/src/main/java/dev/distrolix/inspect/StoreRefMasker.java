package dev.distrolix.inspect;

import dev.distrolix.blob.Digest;
import dev.distrolix.nix.Nix32;
import java.security.MessageDigest;

/**
 * Hashes content with the hash part of every {@code /nix/store/<hash>-} reference replaced by
 * 'x's, streaming. Two files that differ only in which build of a store path they name (an
 * nginx.conf including {@code /nix/store/<hash>-nginx-1.22.1/etc/mime.types}) then hash the same,
 * which lets a diff attribute the change to the store path instead of the file.
 */
final class StoreRefMasker {
    private static final byte[] PREFIX = "/nix/store/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int HASH_LEN = Nix32.HASH_LENGTH;
    private final MessageDigest md = Digest.newSha256();
    private final byte[] pending = new byte[HASH_LEN];
    /** Masked bytes on their way to {@link #md}: a digest update per byte cost a JNI call each (~70 ns). */
    private final byte[] out = new byte[8192];
    private int outLen;
    private int matched; // bytes of PREFIX matched so far
    private int hashBytes; // bytes of a candidate hash buffered in pending
    private boolean sawReference;

    void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            update(b[i]);
        }
    }

    private void update(byte c) {
        if (matched == PREFIX.length) {
            if (Nix32.isDigit(c)) {
                pending[hashBytes++] = c;
                if (hashBytes == HASH_LEN) {
                    for (int i = 0; i < HASH_LEN; i++) {
                        emit((byte) 'x');
                    }
                    sawReference = true;
                    matched = 0;
                    hashBytes = 0;
                }
                return;
            }
            for (int i = 0; i < hashBytes; i++) {
                emit(pending[i]); // not a store hash after all
            }
            matched = 0;
            hashBytes = 0;
        }
        emit(c);
        while (matched > 0 && c != PREFIX[matched]) {
            matched = BORDER[matched]; // "/nix/nix/store/": the second '/' may start the prefix
        }
        if (c == PREFIX[matched]) {
            matched++;
        }
    }

    /** Knuth–Morris–Pratt: BORDER[k] is the longest proper prefix of PREFIX[0, k) that is also its suffix. */
    private static final int[] BORDER = borders(PREFIX);

    private static int[] borders(byte[] p) {
        int[] border = new int[p.length + 1];
        for (int k = 2; k <= p.length; k++) {
            int b = border[k - 1];
            while (b > 0 && p[k - 1] != p[b]) {
                b = border[b];
            }
            border[k] = p[k - 1] == p[b] ? b + 1 : 0;
        }
        return border;
    }

    private void emit(byte c) {
        if (outLen == out.length) {
            md.update(out, 0, outLen);
            outLen = 0;
        }
        out[outLen++] = c;
    }

    /** The masked digest, or null if the content named no store path (it then equals the plain digest). */
    Digest finish() {
        for (int i = 0; i < hashBytes; i++) {
            emit(pending[i]);
        }
        md.update(out, 0, outLen);
        outLen = 0;
        return sawReference ? Digest.ofSha256(md) : null;
    }
}
