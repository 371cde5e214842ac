package dev.distrolix.tar;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Re-chunks writes into fixed-size blocks before a compressor, so the compressor always sees the
 * same sequence of input calls for the same bytes, whatever sizes file reads happened to return.
 * zlib and zstd should not depend on input chunking, but this makes it certain at the cost of one
 * copy. {@link #flush()} deliberately forwards nothing: a partial chunk would change the calls.
 */
final class FixedChunkOutputStream extends FilterOutputStream {
    private final byte[] chunk;
    private int filled;

    FixedChunkOutputStream(OutputStream out, int chunkSize) {
        super(out);
        this.chunk = new byte[chunkSize];
    }

    @Override
    public void write(int b) throws IOException {
        chunk[filled++] = (byte) b;
        if (filled == chunk.length) {
            drain();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chunk.length - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == chunk.length) {
                drain();
            }
        }
    }

    @Override
    public void flush() {
        // intentionally empty, see class comment
    }

    @Override
    public void close() throws IOException {
        try {
            if (filled > 0) {
                drain();
            }
        } finally {
            out.close();
        }
    }

    private void drain() throws IOException {
        out.write(chunk, 0, filled);
        filled = 0;
    }
}
