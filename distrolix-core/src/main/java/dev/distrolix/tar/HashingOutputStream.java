package dev.distrolix.tar;

import dev.distrolix.blob.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while computing their SHA-256 and counting them. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256 = Digest.newSha256();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len); // FilterOutputStream would write byte by byte
        sha256.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    /** The digest of everything written; call once, after the last write. */
    Digest digest() {
        return Digest.ofSha256(sha256);
    }
}
