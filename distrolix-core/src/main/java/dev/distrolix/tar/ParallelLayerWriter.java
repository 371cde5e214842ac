package dev.distrolix.tar;

import dev.distrolix.Workers;
import dev.distrolix.blob.Compression;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes many layers concurrently with {@link LayerWriter}, on a bounded pool of its own, and
 * returns the blobs in input order. Each layer is still one sequential stream, so the bytes are
 * the same as when written one by one. These layer threads only tar and hash: gzip blocks of all
 * layers are compressed on one shared pool of {@code availableProcessors} threads, which the layer
 * threads wait on but never occupy.
 *
 * <p>If a layer fails, layers not yet started are cancelled, running ones are interrupted (they
 * stop at their next entry and delete their temporary file), and the failure of the
 * first layer to fail is thrown once every worker has stopped. Blobs of layers that had
 * already completed stay in {@code dir}.
 */
public final class ParallelLayerWriter {
    private ParallelLayerWriter() {}

    /** Uses {@code Runtime.availableProcessors()} threads. */
    public static List<LayerBlob> writeAll(Path dir, Compression compression,
                                           List<? extends LayerWriter.EntryProducer> producers) throws IOException {
        return writeAll(dir, compression, producers, Runtime.getRuntime().availableProcessors());
    }

    /** How one layer is written (to a file, into an upload, …). */
    @FunctionalInterface
    public interface OneLayer {
        LayerBlob write(LayerWriter.EntryProducer producer) throws IOException;
    }

    /** Writes each layer with {@code one}, as many at once as {@link #writeAll(Path, Compression, List)} would. */
    public static List<LayerBlob> writeAll(Compression compression, List<? extends LayerWriter.EntryProducer> producers,
                                           OneLayer one) throws IOException {
        return writeAll(compression, producers, Runtime.getRuntime().availableProcessors(), one);
    }

    public static List<LayerBlob> writeAll(Path dir, Compression compression,
                                           List<? extends LayerWriter.EntryProducer> producers,
                                           int threads) throws IOException {
        return writeAll(compression, producers, threads, p -> LayerWriter.write(dir, compression, p));
    }

    private static List<LayerBlob> writeAll(Compression compression, List<? extends LayerWriter.EntryProducer> producers,
                                            int threads, OneLayer one) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        if (producers.isEmpty()) {
            return List.of();
        }
        // zstd streams compress on their own workers, one per core each: one stream at a time keeps their
        // native buffers to one set while the cores stay busy
        int streams = compression == Compression.ZSTD ? 1 : threads;
        return Workers.shared().forEach(producers, streams, one::write);
    }
}
