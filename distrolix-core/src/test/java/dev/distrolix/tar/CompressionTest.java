package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinned compressors: framing bytes and independence from how content reads are chunked. */
class CompressionTest {
    /** One 3 MB file whose content stream returns reads of a given maximum size. */
    static LayerWriter.EntryProducer layer(int maxRead) {
        return sink -> {
            sink.accept(Tools.dir("d"));
            sink.accept(new LayerEntry.RegularFile("d/f", 0444, LayerEntry.Ownership.ROOT, 1, 3_000_000,
                    () -> new ChoppyStream(new ParallelLayerWriterTest.GeneratedContent(7, 3_000_000), maxRead)));
        };
    }

    @Test
    void blobsDoNotDependOnReadSizes(@TempDir Path a, @TempDir Path b) throws Exception {
        for (Compression c : Compression.values()) {
            LayerBlob whole = LayerWriter.write(a, c, layer(Integer.MAX_VALUE));
            LayerBlob choppy = LayerWriter.write(b, c, layer(4097));
            assertThat(choppy.digest()).as(c.name()).isEqualTo(whole.digest());
            assertThat(choppy.diffId()).isEqualTo(whole.diffId());
        }
    }

    @Test
    void gzipTrailerHoldsCrcAndSizeOfTheTar(@TempDir Path dir) throws Exception {
        LayerBlob b = LayerWriter.write(dir, Compression.GZIP, layer(65536));
        byte[] blob = Files.readAllBytes(b.file());
        var out = new java.io.ByteArrayOutputStream();
        LayerWriter.writeTar(out, layer(65536));
        CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        ByteBuffer trailer = ByteBuffer.wrap(blob, blob.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(trailer.getInt() & 0xffffffffL).isEqualTo(crc.getValue());
        assertThat(trailer.getInt() & 0xffffffffL).isEqualTo(b.uncompressedSize());
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(b.file()))) {
            assertThat(in.readAllBytes()).isEqualTo(out.toByteArray());
        }
    }

    @Test
    void zstdFrameHasAChecksumAndNoContentSize(@TempDir Path dir) throws Exception {
        LayerBlob b = LayerWriter.write(dir, Compression.ZSTD, layer(65536));
        byte[] blob = Files.readAllBytes(b.file());
        assertThat(Arrays.copyOf(blob, 4)).containsExactly(0x28, 0xb5, 0x2f, 0xfd);
        int descriptor = blob[4] & 0xff;
        assertThat(descriptor & 0x04).as("content checksum flag").isEqualTo(0x04);
        assertThat(descriptor >>> 6).as("frame content size flag").isZero();
        assertThat(descriptor & 0x20).as("single segment").isZero();
        assertThat(descriptor & 0x03).as("dictionary id").isZero();
    }

    /** The cores must not decide the bytes: zstd with 1, 2 and 4 workers, over several of its jobs. */
    @Test
    void zstdBytesDoNotDependOnTheWorkerCount() throws Exception {
        byte[] data = new byte[24 << 20];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < data.length; i += 4096) { // compressible, not trivially: runs of random text
            byte[] run = new byte[64 + r.nextInt(512)];
            r.nextBytes(run);
            for (int j = i; j < Math.min(data.length, i + 4096); j++) {
                data[j] = (byte) ('a' + (run[(j - i) % run.length] & 0x0f));
            }
        }
        byte[] first = null;
        for (int workers : new int[] {1, 2, 4}) {
            var out = new java.io.ByteArrayOutputStream();
            try (java.io.OutputStream z = Compressors.zstd(out, workers)) {
                z.write(data);
            }
            if (first == null) {
                first = out.toByteArray();
                assertThat(first.length).isLessThan(data.length / 2);
            } else {
                assertThat(out.toByteArray()).as("%d workers", workers).isEqualTo(first);
            }
        }
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(first))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    /** Returns at most {@code max} bytes per read, and varies it, like a pipe or a network stream. */
    static final class ChoppyStream extends InputStream {
        private final InputStream in;
        private final int max;
        private int turn;

        ChoppyStream(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws java.io.IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int limit = max == Integer.MAX_VALUE ? len : 1 + (turn++ * 31) % max;
            return in.read(b, off, Math.min(len, limit));
        }

        @Override
        public void close() throws java.io.IOException {
            in.close();
        }
    }
}
