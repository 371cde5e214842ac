package dev.distrolix.tar;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * gzip (RFC 1952) with a header we write ourselves, so it does not change with the JDK version:
 * {@code 1f 8b 08}, no flags (no FNAME, no FEXTRA), MTIME 0, XFL 0, OS 255 ("unknown", what Go's
 * compress/gzip — used by Docker and containerd — and JDK 16+ write). The deflate stream is raw
 * zlib at the given level with default strategy, window and memLevel (as {@code gzip -6}).
 * The deflate bytes still depend on the zlib the JVM links (system zlib on Debian's JDK).
 */
final class PinnedGzipOutputStream extends DeflaterOutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final CRC32 crc = new CRC32();
    private long inputSize;
    private boolean trailerWritten;

    PinnedGzipOutputStream(OutputStream out, int level) throws IOException {
        super(out, new Deflater(level, true), 64 * 1024);
        out.write(HEADER);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        super.write(b, off, len);
        crc.update(b, off, len);
        inputSize += len;
    }

    @Override
    public void finish() throws IOException {
        if (trailerWritten) {
            return;
        }
        super.finish();
        long c = crc.getValue();
        byte[] t = new byte[8];
        for (int i = 0; i < 4; i++) {
            t[i] = (byte) (c >>> (8 * i));
            t[4 + i] = (byte) (inputSize >>> (8 * i)); // ISIZE: input size mod 2^32
        }
        out.write(t);
        trailerWritten = true;
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            def.end(); // our own Deflater: DeflaterOutputStream.close would not end it
            out.close();
        }
    }
}
