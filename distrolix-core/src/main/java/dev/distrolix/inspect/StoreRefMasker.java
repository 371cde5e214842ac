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
                        md.update((byte) 'x');
                    }
                    sawReference = true;
                    matched = 0;
                    hashBytes = 0;
                }
                return;
            }
            md.update(pending, 0, hashBytes); // not a store hash after all
            matched = 0;
            hashBytes = 0;
        }
        md.update(c);
        if (c == PREFIX[matched]) {
            matched++;
        } else {
            matched = c == PREFIX[0] ? 1 : 0;
        }
    }

    /** The masked digest, or null if the content named no store path (it then equals the plain digest). */
    Digest finish() {
        if (hashBytes > 0) {
            md.update(pending, 0, hashBytes);
        }
        return sawReference ? Digest.ofSha256(md) : null;
    }
}
