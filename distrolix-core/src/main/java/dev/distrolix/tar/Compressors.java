package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;

/** The pinned compressors. Their parameters are part of every layer digest: change them only on purpose. */
public final class Compressors {
    static final int CHUNK = 64 * 1024;
    /**
     * zstd's own threads per stream. Any count from 1 up gives the same bytes (checked with zstd-jni
     * 1.5.7-21 for 1, 2, 4 and 8 workers; 0, single-threaded mode, gives others), so the machine's cores
     * can be used without the digest depending on them: a 190 MB layer compresses in 0.6 s instead of
     * 1.4 s on 2 cores. Each stream holds its jobs' buffers natively ({@link #JOB_SIZE}).
     */
    static final int ZSTD_WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /**
     * zstd's job size, part of the bytes. 2 MiB instead of zstd's default (8 MiB at level 3): on the JRE's
     * layers peak RSS 162 MB instead of 180 MB (121 MB single-threaded), 2.1-2.3 s instead of 2.0 s (2.7 s).
     */
    static final int JOB_SIZE = 2 << 20;

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
                return zstd(out, ZSTD_WORKERS);
            default:
                throw new IllegalArgumentException("unknown compression " + c);
        }
    }

    /**
     * A zstd stream with {@code workers} (at least 1) threads. The frame checksum is XXH64 of the content, so
     * it is deterministic; the zstd CLI writes it too. Streaming with no pledged size: no content size in
     * the frame header.
     */
    static OutputStream zstd(OutputStream out, int workers) throws IOException {
        if (workers < 1) {
            throw new IllegalArgumentException("zstd needs at least one worker: 0 (single-threaded) gives other bytes");
        }
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, Compression.ZSTD.defaultLevel());
        z.setWorkers(workers);
        z.setJobSize(JOB_SIZE);
        z.setChecksum(true);
        return new FixedChunkOutputStream(z, CHUNK);
    }
}
