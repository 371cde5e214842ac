package dev.distrolix.blob;

import dev.distrolix.InputException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Sits under a {@link TarArchiveInputStream} that reads a layer and keeps a hostile tar from
 * taking memory or time, with one-line {@link InputException}s naming the layer:
 * <ul>
 *   <li>the headers of one entry (its PAX records, GNU long name and link) may take at most
 *       {@link #MAX_HEADER_BYTES}: commons-compress buffers a GNU long name whole, so a "name"
 *       declaring a gigabyte would otherwise fill the heap;</li>
 *   <li>sparse entries are refused (no image builder writes them; one can expand to terabytes of
 *       zeros), and so are declared sizes below zero or above {@link #MAX_ENTRY_SIZE};</li>
 *   <li>a tar that ends inside an entry's data is "truncated", said here instead of by the
 *       library ("Truncated TAR archive").</li>
 * </ul>
 * Use {@link #next} instead of {@link TarArchiveInputStream#getNextEntry()}.
 */
public final class TarGuard extends FilterInputStream {
    /** Three 1 MiB special entries (Go's archive/tar limit for each) and a few headers. */
    public static final long MAX_HEADER_BYTES = 3L * (1 << 20) + (64 << 10);
    /** A file in an image larger than this (1 TiB) is a lie, not a file. */
    public static final long MAX_ENTRY_SIZE = 1L << 40;

    private final String label;
    private long position;
    private long budgetEnd = Long.MAX_VALUE;
    private long dataEnd = -1;
    private String current;
    private long currentSize;

    public TarGuard(InputStream in, String label) {
        super(in);
        this.label = label;
    }

    /** The next entry of {@code tar} (which must read from this guard), checked; null at the end. */
    public TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
        if (current != null) {
            tar.transferTo(OutputStream.nullOutputStream()); // the rest of the current entry, through the checks
        }
        current = null;
        dataEnd = -1;
        budgetEnd = position + MAX_HEADER_BYTES;
        TarArchiveEntry e;
        try {
            e = tar.getNextEntry();
        } catch (InputException x) {
            throw x;
        } catch (IOException | RuntimeException x) {
            throw new InputException(label + ": not a valid tar (" + oneLine(x) + ")", x);
        } finally {
            budgetEnd = Long.MAX_VALUE;
        }
        if (e == null) {
            return null;
        }
        if (e.isSparse()) {
            throw new InputException(label + ": entry '" + shown(e.getName()) + "' is a sparse file; image layers hold none");
        }
        if (e.getSize() < 0 || e.getSize() > MAX_ENTRY_SIZE) {
            throw new InputException(label + ": entry '" + shown(e.getName()) + "' declares an impossible size of "
                    + e.getSize() + " bytes");
        }
        current = e.getName();
        currentSize = e.getSize();
        dataEnd = position + e.getSize();
        return e;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= budgetEnd) {
            throw new InputException(label + ": a tar entry's headers (PAX records, GNU long name) take more than "
                    + MAX_HEADER_BYTES + " bytes");
        }
        int n = in.read(b, off, (int) Math.min(len, budgetEnd - position));
        if (n < 0) {
            if (current != null && position < dataEnd) {
                throw new InputException(label + ": truncated tar: entry '" + shown(current) + "' ends after "
                        + (position - (dataEnd - currentSize)) + " of its " + currentSize + " bytes");
            }
            if (position % 512 != 0) {
                throw new InputException(label + ": truncated tar: it ends inside a 512-byte record (at byte "
                        + position + ")");
            }
            return -1;
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.max(n, 1), 8192)];
        int r = read(buf, 0, (int) Math.min(buf.length, n));
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** An entry's name as a message quotes it: control characters escaped (a name may hold line breaks), 200 at most. */
    public static String shown(String name) {
        return dev.distrolix.Printable.shortened(dev.distrolix.Printable.escaped(name), 200);
    }
}
