package dev.distrolix.tar;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes {@link LayerEntry} values as a byte-stable tar stream (see {@link TarHeaderEncoder} for
 * the header conventions). Entries must come in strictly increasing tar order
 * ({@link TarPaths#compare(byte[], byte[])}), which also rules out duplicates. Names are written
 * relative, directories with a trailing '/'. No hardlinks are ever written. The archive ends with
 * exactly two 512-byte zero blocks and no further record padding (block size 512, like Go and
 * commons-compress; GNU tar and Python would pad to 10240).
 *
 * <p>An entry that fails validation throws {@link IllegalArgumentException} before any byte of
 * it is written, so the stream stays usable. An I/O failure while copying content leaves a
 * half-written entry; the writer then refuses further use.
 */
public final class ReproducibleTarWriter implements Closeable {
    private static final int COPY_BUFFER = 64 * 1024;
    private static final byte[] ZEROS = new byte[2 * TarHeaderEncoder.BLOCK];

    private final OutputStream out;
    /** Grown to the largest file copied, up to {@link #COPY_BUFFER}: a layer of small files needs little. */
    private byte[] buffer = new byte[TarHeaderEncoder.BLOCK];
    private byte[] previous;
    private String previousPath;
    private long bytesWritten;
    private boolean broken;
    private boolean finished;

    /** The writer does not buffer; pass a stream that is cheap to write 512-byte blocks to. */
    public ReproducibleTarWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Appends one entry; regular file content is opened, copied and closed here. */
    public void write(LayerEntry entry) throws IOException {
        Objects.requireNonNull(entry, "entry");
        if (finished || broken) {
            throw new IllegalStateException(finished ? "tar already finished" : "tar writer failed earlier");
        }
        String path = entry.path();
        byte[] key = TarPaths.check(path);
        if (previous != null) {
            int c = TarPaths.compare(previous, key);
            if (c == 0) {
                throw new IllegalArgumentException("duplicate layer entry '" + path + "'");
            }
            if (c > 0) {
                throw new IllegalArgumentException("layer entry '" + path + "' is out of tar order (after '"
                        + previousPath + "')");
            }
        }
        byte[] header = TarHeaderEncoder.encode(fields(entry));
        previous = key;
        previousPath = path;
        broken = true; // until the whole entry is out
        emit(header, header.length);
        if (entry instanceof LayerEntry.RegularFile f) {
            copyContent(f);
        }
        broken = false;
    }

    /** Writes the two zero end blocks (once) and flushes; does not close the underlying stream. */
    public void finish() throws IOException {
        if (broken) {
            throw new IllegalStateException("tar writer failed earlier");
        }
        if (!finished) {
            emit(ZEROS, ZEROS.length);
            out.flush();
            finished = true;
        }
    }

    /** Tar bytes written so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** {@link #finish()} (unless a failure broke the stream), then closes the underlying stream. */
    @Override
    public void close() throws IOException {
        try {
            if (!broken) {
                finish();
            }
        } finally {
            out.close();
        }
    }

    private static TarHeaderEncoder.Fields fields(LayerEntry e) {
        LayerEntry.Ownership o = Objects.requireNonNull(e.owner(), "owner of " + e.path());
        if (o.uid() < 0 || o.gid() < 0) {
            throw new IllegalArgumentException("negative uid/gid for '" + e.path() + "'");
        }
        int mode = e.mode();
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " of '" + e.path()
                    + "' is not a permission mode (0..07777)");
        }
        checkText(o.uname(), "uname", e.path());
        checkText(o.gname(), "gname", e.path());
        if (e instanceof LayerEntry.Directory d) {
            return new TarHeaderEncoder.Fields(d.path() + "/", (byte) '5', mode, o.uid(), o.gid(), o.uname(),
                    o.gname(), 0, d.mtime(), "");
        }
        if (e instanceof LayerEntry.RegularFile f) {
            if (f.size() < 0) {
                throw new IllegalArgumentException("negative size for '" + f.path() + "'");
            }
            Objects.requireNonNull(f.content(), "content of " + f.path());
            return new TarHeaderEncoder.Fields(f.path(), (byte) '0', mode, o.uid(), o.gid(), o.uname(),
                    o.gname(), f.size(), f.mtime(), "");
        }
        LayerEntry.Symlink s = (LayerEntry.Symlink) e;
        String target = s.target();
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("symlink '" + s.path() + "' has an empty target or one containing NUL");
        }
        return new TarHeaderEncoder.Fields(s.path(), (byte) '2', mode, o.uid(), o.gid(), o.uname(), o.gname(),
                0, s.mtime(), target);
    }

    private static void checkText(String v, String what, String path) {
        if (v == null || v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " of '" + path + "' is null or contains NUL");
        }
    }

    private void copyContent(LayerEntry.RegularFile f) throws IOException {
        long remaining = f.size();
        if (buffer.length < COPY_BUFFER && remaining > buffer.length) {
            buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(remaining, 2L * buffer.length))];
        }
        try (InputStream in = f.content().open()) {
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("content of '" + f.path() + "' ended " + remaining
                            + " bytes before its declared size " + f.size() + " (changed while reading?)");
                }
                emit(buffer, n);
                remaining -= n;
            }
            if (in.read() >= 0) {
                throw new IOException("content of '" + f.path() + "' is longer than its declared size " + f.size()
                        + " (changed while reading?)");
            }
        }
        int pad = (int) (-f.size() & (TarHeaderEncoder.BLOCK - 1));
        if (pad > 0) {
            emit(ZEROS, pad);
        }
    }

    private void emit(byte[] b, int len) throws IOException {
        out.write(b, 0, len);
        bytesWritten += len;
    }
}
