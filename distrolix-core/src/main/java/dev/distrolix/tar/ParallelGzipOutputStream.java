package dev.distrolix.tar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) compressed on several cores, pigz-style, whose bytes depend only on the input
 * (and on the JVM's zlib), never on the number of threads, on timing or on how writes are sized.
 *
 * <p>Framing: header {@code 1f 8b 08}, no flags (no FNAME, no FEXTRA), MTIME 0, XFL 0, OS 255
 * ("unknown", what Go's compress/gzip — used by Docker and containerd — and JDK 16+ write), one
 * raw deflate stream, then CRC-32 and ISIZE (input size mod 2^32), little-endian.
 *
 * <p>The deflate stream: the input is cut into {@link #BLOCK} (128 KiB) blocks; only the last block
 * may be shorter (it holds 1..128 KiB, or nothing for empty input). Each block is compressed on its
 * own by a reset {@code Deflater(level, nowrap)} (default strategy, window and memLevel, as
 * {@code gzip -6}; or the system's zlib set up alike, {@link SystemZlib}), primed with
 * {@code setDictionary} of the last 32 KiB of the previous block (none for the first), fed the
 * whole block in one {@code setInput}; every block but the last ends with {@code SYNC_FLUSH} (so it
 * ends on a byte boundary with an empty stored block, 00 00 ff ff), the last is {@code finish()}ed
 * (final block). The compressed blocks are concatenated in order. A block depends only on its own
 * and the previous block's bytes, so blocks compress in any order on any thread with the same
 * result.
 *
 * <p>Threads and memory: blocks are compressed on a shared executor ({@link #sharedExecutor()},
 * {@code availableProcessors} daemon threads) that only ever runs block jobs, which never wait on
 * anything, so writers can wait on their blocks without any risk of deadlock, however many
 * streams are open. The writing thread fills blocks, computes the CRC and writes finished blocks
 * in order to {@code out}. Blocks in flight (submitted and not yet written out) are bounded by
 * permits shared by all streams on the executor (2 × threads); a stream that finds no permit
 * first waits for its own oldest block, and a stream with no block in flight may always submit
 * one, so no stream ever waits for another. Each block in flight holds about 300 KB.
 *
 * <p>{@link #flush()} does nothing (a partial block would change the bytes). {@link #close()}
 * finishes the stream and closes {@code out}; after a failure it cancels the blocks in flight and
 * only closes {@code out}. Not thread-safe: one writing thread at a time.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 128 * 1024;
    static final int INITIAL_BLOCK = 8 * 1024;
    static final int DICTIONARY = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    /** Deflaters of the executor threads, by level, reused via reset() (as pigz does with deflateReset). */
    private static final StreamsByLevel<Deflater> DEFLATERS = new StreamsByLevel<>(level -> new Deflater(level, true));

    private final OutputStream out;
    private final int level;
    private final ExecutorService executor;
    private final Semaphore permits;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private long size;
    /**
     * The block being filled: it starts small and grows to {@link #BLOCK}, so that a small layer (most of a closure's
     * hundred) allocates what it holds, not 128 KiB; where blocks are cut does not change.
     */
    private byte[] block = new byte[INITIAL_BLOCK];
    private int filled;
    private byte[] previous;
    private boolean closed;
    private boolean failed;

    /** On the shared executor and permits. */
    ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
        this(out, level, Shared.EXECUTOR, Shared.PERMITS);
    }

    /**
     * @param executor runs the block jobs; must not be a pool whose threads write to this stream
     * @param permits bounds the blocks in flight of all streams sharing it (each stream may go one over)
     */
    ParallelGzipOutputStream(OutputStream out, int level, ExecutorService executor, Semaphore permits)
            throws IOException {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 0..9: " + level);
        }
        this.out = Objects.requireNonNull(out, "out");
        this.level = level;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.permits = Objects.requireNonNull(permits, "permits");
        out.write(HEADER);
    }

    /** The executor all layers share for gzip blocks. */
    static ExecutorService sharedExecutor() {
        return Shared.EXECUTOR;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        try {
            if (filled == BLOCK) {
                submit(false);
            }
            room(1);
            block[filled++] = (byte) b;
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        try {
            while (len > 0) {
                if (filled == BLOCK) {
                    submit(false); // only once a byte follows: a full block may still be the last
                }
                int n = Math.min(len, BLOCK - filled);
                room(n);
                System.arraycopy(b, off, block, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    /** Grows the block to hold {@code n} more bytes (never past {@link #BLOCK}). */
    private void room(int n) {
        if (filled + n > block.length) {
            block = java.util.Arrays.copyOf(block, Math.min(BLOCK, Math.max(2 * block.length, filled + n)));
        }
    }

    @Override
    public void flush() {
        // intentionally empty, see class comment
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                submit(true);
                while (!inFlight.isEmpty()) {
                    writeHead();
                }
                writeTrailer();
            }
        } catch (Throwable t) {
            failed = true;
            throw t;
        } finally {
            try {
                if (failed) {
                    abort();
                }
            } finally {
                out.close();
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("gzip stream closed");
        }
        if (failed) {
            throw new IOException("gzip stream failed earlier");
        }
    }

    private void submit(boolean last) throws IOException {
        boolean permit = acquirePermit();
        byte[] data = block;
        int len = filled;
        byte[] dictionary = previous;
        int lvl = level;
        Future<Compressed> f;
        try {
            f = executor.submit(() -> compress(lvl, dictionary, data, len, last));
            SystemZlib.blockSubmitted();
        } catch (RejectedExecutionException e) {
            if (permit) {
                permits.release();
            }
            throw new IOException("gzip block executor rejected a block", e);
        }
        inFlight.add(new Pending(f, permit));
        crc.update(data, 0, len);
        size += len;
        previous = data;
        block = last ? null : new byte[BLOCK];
        filled = 0;
        while (!inFlight.isEmpty() && inFlight.peek().future.isDone()) {
            writeHead();
        }
    }

    /**
     * Takes a permit for one more block if one is free, else writes out own blocks (waiting for
     * them) until one is; with nothing of its own in flight, goes ahead without a permit.
     */
    private boolean acquirePermit() throws IOException {
        while (!permits.tryAcquire()) {
            if (inFlight.isEmpty()) {
                return false;
            }
            writeHead();
        }
        return true;
    }

    /** Waits for the oldest block in flight and writes it. */
    private void writeHead() throws IOException {
        Pending p = inFlight.peek();
        Compressed c;
        try {
            c = p.future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing gzip blocks");
        } catch (ExecutionException e) {
            throw new IOException("gzip block compression failed", e.getCause());
        }
        inFlight.poll();
        if (p.permit) {
            permits.release();
        }
        out.write(c.data, 0, c.length);
    }

    private void writeTrailer() throws IOException {
        long c = crc.getValue();
        byte[] t = new byte[8];
        for (int i = 0; i < 4; i++) {
            t[i] = (byte) (c >>> (8 * i));
            t[4 + i] = (byte) (size >>> (8 * i)); // ISIZE: input size mod 2^32
        }
        out.write(t);
    }

    private void abort() {
        for (Pending p : inFlight) {
            p.future.cancel(false);
            if (p.permit) {
                permits.release();
            }
        }
        inFlight.clear();
        block = null;
        previous = null;
    }

    /**
     * One block job: runs on an executor thread and never blocks. The system's zlib once it is bound
     * and ready ({@link SystemZlib}: the same bytes), else the JDK's.
     */
    static Compressed compress(int level, byte[] dictionary, byte[] data, int len, boolean last) {
        BlockDeflater system = SystemZlib.deflaterFor(level);
        return system != null
                ? system.compress(level, dictionary, data, len, last)
                : jdkCompress(level, dictionary, data, len, last);
    }

    /** A block deflated by the JDK's {@code Deflater}. */
    static Compressed jdkCompress(int level, byte[] dictionary, byte[] data, int len, boolean last) {
        Deflater d = DEFLATERS.get(level);
        d.reset();
        if (dictionary != null) {
            d.setDictionary(dictionary, dictionary.length - DICTIONARY, DICTIONARY);
        }
        d.setInput(data, 0, len);
        if (last) {
            d.finish();
        }
        byte[] buf = new byte[BlockDeflater.room(len)]; // one deflate call normally does it
        int n = 0;
        while (true) {
            n += d.deflate(buf, n, buf.length - n, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            if (last ? d.finished() : n < buf.length) {
                break;
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        return new Compressed(buf, n);
    }

    record Compressed(byte[] data, int length) {}

    private record Pending(Future<Compressed> future, boolean permit) {}

    /** Created on first use of a gzip stream: the process's cpu pool, and a bound on blocks in flight. */
    private static final class Shared {
        static final ExecutorService EXECUTOR = dev.distrolix.Workers.shared().cpu();
        static final Semaphore PERMITS = new Semaphore(2 * Runtime.getRuntime().availableProcessors());
    }
}
