package dev.distrolix.tar;

import static dev.distrolix.tar.ParallelGzipOutputStream.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The parallel gzip stream: the frozen block framing, determinism, decoders, bounds, failures. */
class ParallelGzipTest {
    private static final ExecutorService ONE = Executors.newFixedThreadPool(1);
    private static final ExecutorService TWO = Executors.newFixedThreadPool(2);
    private static final ExecutorService FOUR = Executors.newFixedThreadPool(4);

    @AfterAll
    static void stopPools() {
        ONE.shutdownNow();
        TWO.shutdownNow();
        FOUR.shutdownNow();
    }

    /** Text-like runs, repeats from far back (across blocks) and random stretches. */
    static byte[] mixed(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        String[] words = {"nix/store/", "lib", ".so.6", "share/doc/", "\n", "0000644", "ELF", "usr/bin/", " "};
        int i = 0;
        while (i < size) {
            int kind = r.nextInt(10);
            int n;
            if (kind < 5) {
                byte[] w = words[r.nextInt(words.length)].getBytes();
                n = Math.min(w.length, size - i);
                System.arraycopy(w, 0, b, i, n);
            } else if (kind < 8 && i > 40_000) {
                int from = r.nextInt(i - 30_000);
                n = Math.min(1 + r.nextInt(3000), size - i);
                System.arraycopy(b, from, b, i, n);
            } else {
                n = Math.min(1 + r.nextInt(500), size - i);
                for (int k = 0; k < n; k++) {
                    b[i + k] = (byte) r.nextInt();
                }
            }
            i += n;
        }
        return b;
    }

    /**
     * The frozen convention written out independently: a fresh Deflater per block, the previous
     * block's last 32 KiB as dictionary, SYNC_FLUSH after every block but the last.
     */
    static byte[] reference(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        int blocks = Math.max(1, (data.length + BLOCK - 1) / BLOCK);
        byte[] buf = new byte[2 * BLOCK];
        for (int k = 0; k < blocks; k++) {
            int off = k * BLOCK;
            int len = Math.min(BLOCK, data.length - off);
            boolean last = k == blocks - 1;
            Deflater d = new Deflater(6, true);
            if (k > 0) {
                d.setDictionary(data, off - 32 * 1024, 32 * 1024);
            }
            d.setInput(data, off, len);
            if (last) {
                d.finish();
                while (!d.finished()) {
                    out.write(buf, 0, d.deflate(buf));
                }
            } else {
                int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                assertThat(n).isLessThan(buf.length);
                out.write(buf, 0, n);
            }
            d.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteBuffer t = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        t.putInt((int) crc.getValue()).putInt(data.length);
        out.writeBytes(t.array());
        return out.toByteArray();
    }

    /** Compresses with the given pool and permits, writing in pieces of varying size. */
    static byte[] gzip(byte[] data, ExecutorService pool, Semaphore permits, long writeSeed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random r = new Random(writeSeed);
        try (OutputStream g = pool == null ? new ParallelGzipOutputStream(out, 6)
                : new ParallelGzipOutputStream(out, 6, pool, permits)) {
            int i = 0;
            while (i < data.length) {
                int n = Math.min(data.length - i, r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(300_000));
                if (n == 1) {
                    g.write(data[i]);
                } else {
                    g.write(data, i, n);
                }
                i += n;
            }
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void sameBytesForAnyThreadCountPermitsWriteSizesAndRun() throws Exception {
        byte[] data = mixed(5 * BLOCK + 12_345, 1);
        byte[] expected = reference(data);
        assertThat(gunzip(expected)).isEqualTo(data);
        for (ExecutorService pool : List.of(ONE, TWO, FOUR)) {
            for (int permits : new int[] {1, 2, 8}) {
                for (long run = 0; run < 3; run++) {
                    Semaphore s = new Semaphore(permits);
                    assertThat(gzip(data, pool, s, run)).as("pool %s permits %d run %d", pool, permits, run)
                            .isEqualTo(expected);
                    assertThat(s.availablePermits()).isEqualTo(permits);
                }
            }
        }
        assertThat(gzip(data, null, null, 9)).isEqualTo(expected);
    }

    @Test
    void edgeSizesFollowTheFramingAndDecode() throws Exception {
        int[] sizes = {0, 1, 2, 32 * 1024, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1, 3 * BLOCK - 7};
        for (int size : sizes) {
            byte[] data = mixed(size, size);
            byte[] gz = gzip(data, FOUR, new Semaphore(3), size);
            assertThat(gz).as("size %d", size).isEqualTo(reference(data));
            assertThat(gunzip(gz)).as("size %d", size).isEqualTo(data);
        }
        // empty input: one empty final fixed-Huffman block (03 00), CRC 0, ISIZE 0
        assertThat(gzip(new byte[0], TWO, new Semaphore(2), 0)).containsExactly(
                0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void blocksEndWithASyncFlushMarkerAndOnlyTheLastIsFinal() {
        byte[] data = mixed(2 * BLOCK + 1, 3);
        byte[] first = compressed(null, data, 0, BLOCK, false);
        byte[] second = compressed(Arrays.copyOfRange(data, 0, BLOCK), data, BLOCK, BLOCK, false);
        byte[] last = compressed(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK), data, 2 * BLOCK, 1, true);
        for (byte[] b : List.of(first, second)) {
            assertThat(Arrays.copyOfRange(b, b.length - 4, b.length)).containsExactly(0x00, 0x00, 0xff, 0xff);
            assertThat(b[0] & 1).as("BFINAL of the first deflate block").isZero();
        }
        // the whole stream inflates: the dictionaries are exactly the previous blocks' tails
        ByteArrayOutputStream deflate = new ByteArrayOutputStream();
        deflate.writeBytes(first);
        deflate.writeBytes(second);
        deflate.writeBytes(last);
        assertThat(Arrays.copyOfRange(reference(data), 10, reference(data).length - 8))
                .isEqualTo(deflate.toByteArray());
    }

    private static byte[] compressed(byte[] dictionary, byte[] data, int off, int len, boolean last) {
        ParallelGzipOutputStream.Compressed c =
                ParallelGzipOutputStream.compress(6, dictionary, Arrays.copyOfRange(data, off, off + len), len, last);
        return Arrays.copyOf(c.data(), c.length());
    }

    @IntegrationTest
    @Test
    void gzipAndPigzDecodeIt(@TempDir Path tmp) throws Exception {
        Tools.require("gzip", "sha256sum");
        byte[] data = mixed(3 * BLOCK + 999, 5);
        Path f = tmp.resolve("x.gz");
        Files.write(f, gzip(data, null, null, 1));
        Path empty = tmp.resolve("empty.gz");
        Files.write(empty, gzip(new byte[0], null, null, 1));
        String hex = dev.distrolix.blob.Digest.sha256(data).hex();
        Tools.ok("gzip", "-t", f.toString());
        Tools.ok("gzip", "-t", empty.toString());
        assertThat(Tools.sha256Of("gzip -dc " + f)).isEqualTo(hex);
        assertThat(Tools.sh("gzip -dc " + empty + " | wc -c").out().trim()).isEqualTo("0");
        if (Tools.available("pigz")) {
            Tools.ok("pigz", "-t", f.toString());
            assertThat(Tools.sha256Of("pigz -dc " + f)).isEqualTo(hex);
        }
    }

    @Test
    @Timeout(60)
    void manyStreamsOnATinyPoolAllFinish() throws Exception {
        // 8 writers share 1 compression thread and 2 permits: nobody waits for anybody else's blocks
        Semaphore permits = new Semaphore(2);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            List<byte[]> inputs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] data = mixed(3 * BLOCK + i * 1000, 100 + i);
                inputs.add(data);
                long seed = i;
                results.add(writers.submit(() -> gzip(data, ONE, permits, seed)));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(results.get(i).get()).isEqualTo(reference(inputs.get(i)));
            }
            assertThat(permits.availablePermits()).isEqualTo(2);
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void interruptedWriterStopsAndReturnsItsPermits() throws Exception {
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        stuck.submit(() -> {
            release.await();
            return null;
        });
        Semaphore permits = new Semaphore(2);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        var g = new ParallelGzipOutputStream(sink, 6, stuck, permits);
        try {
            Thread.currentThread().interrupt();
            // blocks 1 and 2 take the permits; block 3 has to wait for block 1, which cannot run
            assertThatThrownBy(() -> g.write(new byte[4 * BLOCK])).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
            assertThatThrownBy(() -> g.write(1)).isInstanceOf(IOException.class).hasMessageContaining("failed");
            g.close();
            assertThat(permits.availablePermits()).isEqualTo(2);
            assertThat(sink.size()).as("only the header").isEqualTo(10);
        } finally {
            release.countDown();
            stuck.shutdown();
            assertThat(stuck.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRejectingExecutorFailsTheStreamWithoutLeakingPermits() throws Exception {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        Semaphore permits = new Semaphore(2);
        var g = new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, dead, permits);
        g.write(new byte[BLOCK]);
        assertThatThrownBy(() -> g.write(0)).isInstanceOf(IOException.class).hasMessageContaining("rejected");
        g.close();
        assertThat(permits.availablePermits()).isEqualTo(2);
        assertThatThrownBy(() -> g.write(0)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void closeFinishesOnceAndClosesTheTarget() throws Exception {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream target = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        var g = new ParallelGzipOutputStream(target, 6);
        g.write(mixed(1000, 1));
        g.flush(); // no partial block: flush must not change the bytes
        g.close();
        g.close();
        assertThat(closed[0]).isTrue();
        assertThat(bytes.toByteArray()).isEqualTo(reference(mixed(1000, 1)));
    }
}
