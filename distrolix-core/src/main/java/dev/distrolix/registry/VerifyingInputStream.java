package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a blob through while hashing it; at its end, fails unless the size and sha256 are the
 * expected ones. A reader thus never accepts a truncated or altered blob as complete.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long size;
    private final String what;
    private final MessageDigest md = Digest.newSha256();
    private long count;
    private boolean checked;

    /** {@code size} may be -1 when unknown (then only the digest is checked). */
    public VerifyingInputStream(InputStream in, Digest expected, long size, String what) {
        super(in);
        this.expected = expected;
        this.size = size;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            check();
            return -1;
        }
        md.update(b, off, n);
        count += n;
        if (size >= 0 && count > size) {
            throw new IOException(what + " is larger than its " + size + " bytes");
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    private void check() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        if (size >= 0 && count != size) {
            throw new IOException(what + " ended after " + count + " of " + size + " bytes");
        }
        Digest actual = Digest.ofSha256(md);
        if (!actual.equals(expected)) {
            throw new IOException(what + " hashes to " + actual + ", not " + expected);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
