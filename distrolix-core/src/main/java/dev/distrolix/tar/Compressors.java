package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;

/** The pinned compressors. Their parameters are part of every layer digest: change them only on purpose. */
public final class Compressors {
    static final int CHUNK = 64 * 1024;

    private Compressors() {}

    /**
     * Wraps {@code out} so that closing the result finishes the compressed stream and closes
     * {@code out}. For {@link Compression#NONE} returns {@code out} itself.
     */
    public static OutputStream open(Compression c, OutputStream out) throws IOException {
        switch (c) {
            case NONE:
                return out;
            case GZIP:
                // Blocks of fixed size compressed in parallel: no re-chunking needed, see the class.
                return new ParallelGzipOutputStream(out, c.defaultLevel());
            case ZSTD:
                // Single-threaded (workers 0). Checked with zstd-jni 1.5.7-21: workers >= 1 give the same
                // bytes for 1, 2, 4 and 8 workers (not those of workers 0) and ~2x speed on 2 cores, but
                // each such stream holds ~40 MB native (8 MiB jobs) plus its own threads, which
                // ParallelLayerWriter would multiply by the layers in flight; not enabled for now.
                // The frame checksum is XXH64 of the content, so it is deterministic; the zstd CLI
                // writes it too. Streaming with no pledged size: no content size in the frame header.
                ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, c.defaultLevel());
                z.setWorkers(0);
                z.setChecksum(true);
                return new FixedChunkOutputStream(z, CHUNK);
            default:
                throw new IllegalArgumentException("unknown compression " + c);
        }
    }
}
