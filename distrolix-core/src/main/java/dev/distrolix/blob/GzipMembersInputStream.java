package dev.distrolix.blob;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * gzip (RFC 1952) read with a {@link RawInflater} (ISA-L's where its library is there, else the JDK's): one member
 * or several one after another (as pigz and {@code cat a.gz b.gz} write them), each member's header checked (magic,
 * method 8, no reserved flag; FEXTRA, FNAME and FCOMMENT skipped, FHCRC checked) and its CRC-32 and ISIZE checked at
 * its end. After the last member the input
 * must end: bytes that are not another member are an error, not ignored (as {@code GZIPInputStream} may ignore them).
 * The first header is read when the stream is made, so input that is not gzip fails there.
 *
 * <p>Not commons-compress's {@code GzipCompressorInputStream}, which reads the same way: its first use in a run made
 * the JVM generate classes (commons-io's lambdas) that no start-up archive keeps, ~7 ms, and its reads ran ~1.5x
 * slower until compiled (a fresh runner unpacks 21 MB of nginx's layers in code not yet compiled). Memory: three
 * fixed buffers and the inflater's state, whatever the input.
 */
public final class GzipMembersInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED = 0xe0;
    private static final int READ_SIZE = 64 * 1024;
    /** Reads shorter than this are served from {@link #decoded}. */
    private static final int SMALL_READ = 4096;

    private final InputStream in;
    private final RawInflater inflater;
    private final CRC32 crc = new CRC32();
    /** Input, read {@link #READ_SIZE} bytes at a time; 8 more for bytes an inflater gives back ({@link #unread}). */
    private final byte[] input = new byte[READ_SIZE + 8];
    private final byte[] decoded = new byte[64 * 1024];
    /** The bytes of {@link #decoded} not read yet: {@code [decodedPos, decodedLimit)}. */
    private int decodedPos;
    private int decodedLimit;
    /** The bytes of {@link #input} not given to the inflater yet: {@code [pos, limit)}. */
    private int pos;
    private int limit;
    /** Bytes inflated in this member (ISIZE is this mod 2^32). */
    private long size;
    private boolean ended;
    private boolean closed;
    private final byte[] one = new byte[1];

    public GzipMembersInputStream(InputStream in) throws IOException {
        this(in, RawInflater.create());
    }

    /** With {@code inflater} (a test's choice of the two). */
    GzipMembersInputStream(InputStream in, RawInflater inflater) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.inflater = inflater;
        try {
            if (!header(true)) {
                throw new IOException("Input is not in the .gz format");
            }
        } catch (IOException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("gzip stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (decodedPos < decodedLimit || (len < SMALL_READ && !ended)) {
            // small reads (a tar reader's headers) are served from a buffer: a native inflate call per few bytes
            // would cost more than the bytes
            if (decodedPos == decodedLimit) {
                decodedLimit = Math.max(inflateInto(decoded, 0, decoded.length), 0);
                decodedPos = 0;
                if (decodedLimit == 0) {
                    return -1;
                }
            }
            int n = Math.min(len, decodedLimit - decodedPos);
            System.arraycopy(decoded, decodedPos, b, off, n);
            decodedPos += n;
            return n;
        }
        return inflateInto(b, off, len);
    }

    /** Inflates into {@code b[off, off + len)} (len > 0), across members; -1 at the end of the last. */
    private int inflateInto(byte[] b, int off, int len) throws IOException {
        while (!ended) {
            if (inflater.needsInput()) {
                if (pos == limit && !fill()) {
                    throw new EOFException("Truncated gzip data (it ends inside a member)");
                }
                inflater.setInput(input, pos, limit - pos);
                pos = limit;
            }
            int n = inflater.inflate(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                size += n;
                return n;
            }
            if (inflater.finished()) {
                pos = limit - inflater.remaining(); // the trailer and what follows were not inflated
                unread(inflater.readAhead());
                trailer();
                if (!header(false)) {
                    ended = true;
                }
            }
        }
        return -1;
    }

    /** Puts {@code bytes} back before {@code input[pos, limit)}, to be read next. */
    private void unread(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        if (pos < bytes.length) { // room made at the front (the buffer has 8 bytes to spare beyond a read's)
            System.arraycopy(input, pos, input, bytes.length, limit - pos);
            limit = bytes.length + limit - pos;
            pos = bytes.length;
        }
        pos -= bytes.length;
        System.arraycopy(bytes, 0, input, pos, bytes.length);
    }

    /** Checks the member's CRC-32 and ISIZE. */
    private void trailer() throws IOException {
        long expectedCrc = int32();
        long expectedSize = int32();
        if (expectedCrc != crc.getValue()) {
            throw new IOException("Gzip-compressed data is corrupt (CRC-32 " + Long.toHexString(crc.getValue())
                    + ", the trailer says " + Long.toHexString(expectedCrc) + ")");
        }
        if (expectedSize != (size & 0xffffffffL)) {
            throw new IOException("Gzip-compressed data is corrupt (" + size + " bytes, the trailer says "
                    + expectedSize + " mod 2^32)");
        }
    }

    /**
     * Reads a member's header and readies the inflater for it; false at the end of the input after a member (the
     * first member must be there: false for empty input too).
     */
    private boolean header(boolean first) throws IOException {
        if (pos == limit && !fill()) {
            return false;
        }
        CRC32 headerCrc = new CRC32();
        int id1 = headerByte(headerCrc);
        int id2 = pos == limit && !fill() ? -1 : headerByte(headerCrc);
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new IOException(first ? "Input is not in the .gz format" : "Garbage after a valid .gz stream");
        }
        int method = headerByte(headerCrc);
        if (method != 8) {
            throw new IOException("Unsupported compression method " + method + " in the .gz header");
        }
        int flags = headerByte(headerCrc);
        if ((flags & RESERVED) != 0) {
            throw new IOException("Reserved flags are set in the .gz header");
        }
        for (int i = 0; i < 6; i++) { // MTIME, XFL, OS
            headerByte(headerCrc);
        }
        if ((flags & FEXTRA) != 0) {
            int left = headerByte(headerCrc) | headerByte(headerCrc) << 8;
            while (left > 0) { // subfields: SI1 SI2 LEN(2) and LEN bytes, which must fill XLEN exactly
                if (left < 4) {
                    throw new IOException("Gzip header is corrupt (its extra field ends inside a subfield header)");
                }
                headerByte(headerCrc);
                headerByte(headerCrc);
                int len = headerByte(headerCrc) | headerByte(headerCrc) << 8;
                left -= 4;
                if (len > left) {
                    throw new IOException("Gzip header is corrupt (an extra field's subfield is longer than the field)");
                }
                for (int i = 0; i < len; i++) {
                    headerByte(headerCrc);
                }
                left -= len;
            }
        }
        if ((flags & FNAME) != 0) {
            while (headerByte(headerCrc) != 0) {
                // the original file name, unused
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (headerByte(headerCrc) != 0) {
                // a comment, unused
            }
        }
        if ((flags & FHCRC) != 0) {
            long expected = (headerCrc.getValue() & 0xffff);
            int got = nextByte() | nextByte() << 8;
            if (got != expected) {
                throw new IOException("Gzip header is corrupt (its CRC-16 does not match)");
            }
        }
        inflater.reset();
        crc.reset();
        size = 0;
        return true;
    }

    private int headerByte(CRC32 headerCrc) throws IOException {
        int b = nextByte();
        headerCrc.update(b);
        return b;
    }

    private long int32() throws IOException {
        return (nextByte() | nextByte() << 8 | nextByte() << 16 | (long) nextByte() << 24) & 0xffffffffL;
    }

    private int nextByte() throws IOException {
        if (pos == limit && !fill()) {
            throw new EOFException("Truncated gzip data (it ends inside a header or trailer)");
        }
        return input[pos++] & 0xff;
    }

    /** Reads more input into the (fully used) buffer; false at its end. */
    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(input, 0, READ_SIZE);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            inflater.end();
            in.close();
        }
    }
}
