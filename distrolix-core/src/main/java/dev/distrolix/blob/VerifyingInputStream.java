package dev.distrolix.blob;

import dev.distrolix.InputException;
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
    private final boolean inputError;
    /** Whether a blob that ends short is still an I/O failure (a registry's answer cut off: worth another try). */
    private final boolean shortIsIo;
    private long count;
    private boolean checked;

    /** {@code size} may be -1 when unknown (then only the digest is checked). */
    public VerifyingInputStream(InputStream in, Digest expected, long size, String what) {
        this(in, expected, size, what, false, false);
    }

    private VerifyingInputStream(InputStream in, Digest expected, long size, String what, boolean inputError,
                                 boolean shortIsIo) {
        super(in);
        this.expected = expected;
        this.size = size;
        this.what = what;
        this.inputError = inputError;
        this.shortIsIo = shortIsIo;
    }

    /**
     * The same check for a blob of an image the user named: a mismatch is then an
     * {@link InputException} (the image is bad), not an I/O failure.
     */
    public static VerifyingInputStream ofImage(InputStream in, Digest expected, long size, String what) {
        return new VerifyingInputStream(in, expected, size, what, true, false);
    }

    /**
     * The check for a blob a registry sends: other bytes than the digest's, or more than the size, are an {@link
     * InputException} (the registry holds a bad blob: asking again gets it again); a blob that ends short an I/O failure.
     */
    public static VerifyingInputStream ofRegistry(InputStream in, Digest expected, long size, String what) {
        return new VerifyingInputStream(in, expected, size, what, true, true);
    }

    private IOException fail(String message) {
        if (inputError) {
            throw new InputException(message);
        }
        return new IOException(message);
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
            throw fail(what + " is larger than its " + size + " bytes");
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
            String message = what + " ended after " + count + " of " + size + " bytes";
            throw shortIsIo ? new IOException(message) : fail(message);
        }
        Digest actual = Digest.ofSha256(md);
        if (!actual.equals(expected)) {
            throw fail(what + " hashes to " + actual + ", not " + expected);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
