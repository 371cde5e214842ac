package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelLayerWriterTest {
    /** Layer i: a directory and i+1 files of pseudo-random content (differs per layer). */
    static LayerWriter.EntryProducer layer(int i) {
        return sink -> {
            sink.accept(Tools.dir("layer" + i));
            for (int f = 0; f <= i; f++) {
                long seed = i * 1000L + f;
                sink.accept(new LayerEntry.RegularFile("layer" + i + "/f" + f, 0444, LayerEntry.Ownership.ROOT, 1,
                        300_000, () -> new GeneratedContent(seed, 300_000)));
            }
        };
    }

    @Test
    void resultsComeInInputOrderAndEqualSequentialWrites(@TempDir Path par, @TempDir Path seq) throws IOException {
        List<LayerWriter.EntryProducer> producers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            producers.add(layer(i));
        }
        for (Compression c : Compression.values()) {
            List<LayerBlob> parallel = ParallelLayerWriter.writeAll(par, c, producers, 3);
            assertThat(parallel).hasSize(7);
            for (int i = 0; i < 7; i++) {
                LayerBlob s = LayerWriter.write(seq, c, producers.get(i));
                assertThat(parallel.get(i)).as("layer %d %s", i, c).isEqualTo(
                        new LayerBlob(par.resolve(s.digest().hex()), s.digest(), s.size(), s.diffId(),
                                s.uncompressedSize(), c));
            }
        }
        assertThat(ParallelLayerWriter.writeAll(par, Compression.GZIP, List.of())).isEmpty();
    }

    /** Layer i, with a size hint, noting when it starts. */
    static LayerWriter.EntryProducer sized(int i, long hint, List<Integer> started) {
        LayerWriter.EntryProducer made = layer(i);
        return new LayerWriter.EntryProducer() {
            @Override
            public void produce(LayerWriter.EntrySink sink) throws IOException {
                synchronized (started) {
                    started.add(i);
                }
                made.produce(sink);
            }

            @Override
            public long sizeHint() {
                return hint;
            }
        };
    }

    @Test
    void largestHintsStartFirstTiesInInputOrderAndResultsComeInInputOrder(@TempDir Path par, @TempDir Path seq)
            throws IOException {
        long[] hints = {1, 50, 7, 50, 0, 3};
        for (Compression c : List.of(Compression.ZSTD, Compression.GZIP)) {
            List<Integer> started = new ArrayList<>();
            List<LayerWriter.EntryProducer> producers = new ArrayList<>();
            for (int i = 0; i < hints.length; i++) {
                producers.add(sized(i, hints[i], started));
            }
            List<LayerBlob> written = ParallelLayerWriter.writeAll(par, c, producers, 1);
            assertThat(started).as("%s: one at a time, in the order they start", c).containsExactly(1, 3, 2, 5, 0, 4);
            for (int i = 0; i < hints.length; i++) {
                assertThat(written.get(i).digest()).as("layer %d %s", i, c)
                        .isEqualTo(LayerWriter.write(seq, c, layer(i)).digest());
            }
        }
    }

    /** A small layer that takes a while, noting how many layers are being written at once. */
    static LayerWriter.EntryProducer slow(int i, java.util.concurrent.atomic.AtomicInteger running,
                                          java.util.concurrent.atomic.AtomicInteger most) {
        return sink -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } finally {
                running.decrementAndGet();
            }
            sink.accept(Tools.dir("slow" + i));
        };
    }

    @Test
    void zstdLayersGoTwoAtATimeWhateverTheThreadsGzipOnesOnePerThread(@TempDir Path dir) throws IOException {
        for (Compression c : List.of(Compression.ZSTD, Compression.GZIP)) {
            var running = new java.util.concurrent.atomic.AtomicInteger();
            var most = new java.util.concurrent.atomic.AtomicInteger();
            List<LayerWriter.EntryProducer> producers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                producers.add(slow(i, running, most));
            }
            assertThat(ParallelLayerWriter.writeAll(dir, c, producers, 4)).hasSize(8);
            if (c == Compression.ZSTD) {
                assertThat(most.get()).as("zstd streams at once").isEqualTo(ParallelLayerWriter.ZSTD_STREAMS);
            } else {
                assertThat(most.get()).as("gzip layers at once").isGreaterThan(ParallelLayerWriter.ZSTD_STREAMS);
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void moreGzipLayersThanCoresShareTheBlockPoolWithoutDeadlock(@TempDir Path par, @TempDir Path seq)
            throws IOException {
        // 10 layer threads (more than the cores), each waiting on its gzip blocks, on a block pool of availableProcessors threads
        List<LayerWriter.EntryProducer> producers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            producers.add(layer(i));
        }
        List<LayerBlob> parallel = ParallelLayerWriter.writeAll(par, Compression.GZIP, producers, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(parallel.get(i).digest()).isEqualTo(LayerWriter.write(seq, Compression.GZIP, producers.get(i)).digest());
        }
    }

    @Test
    void aFailingLayerFailsTheBatchAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        List<LayerWriter.EntryProducer> producers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            producers.add(layer(i));
        }
        producers.set(2, sink -> {
            sink.accept(Tools.dir("x"));
            throw new IOException("source broke at layer 2");
        });
        producers.set(4, sink -> sink.accept(Tools.dir("/abs")));
        for (Compression c : List.of(Compression.ZSTD, Compression.GZIP)) {
            assertThatThrownBy(() -> ParallelLayerWriter.writeAll(dir, c, producers, 2))
                    .isInstanceOf(IOException.class).hasMessage("source broke at layer 2");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    /** Deterministic, poorly compressible bytes generated on the fly (xorshift). */
    static final class GeneratedContent extends InputStream {
        private long state;
        private long remaining;

        GeneratedContent(long seed, long size) {
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
    }
}
