package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.DistrolixException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Registry layers downloaded ahead: saved as they arrive and checked (digest, size, diff_id) before anyone is given
 * them; those no image wants cancelled once every image has said what it wants; every saved file deleted at the end.
 */
class LayerPrefetchTest {
    /** A gzip layer served from memory; {@code gate}, when given, holds its stream's first read until counted down. */
    record MemoryLayer(byte[] blob, Digest digest, Digest diffId, CountDownLatch gate) implements Layer {
        static MemoryLayer of(byte[] tar, boolean rightDiffId) throws IOException {
            return of(tar, rightDiffId, null);
        }

        static MemoryLayer of(byte[] tar, boolean rightDiffId, CountDownLatch gate) throws IOException {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar);
            }
            byte[] blob = gz.toByteArray();
            return new MemoryLayer(blob, Digest.sha256(blob), Digest.sha256(rightDiffId ? tar : new byte[] {1}), gate);
        }

        @Override
        public long size() {
            return blob.length;
        }

        @Override
        public String mediaType() {
            return "application/vnd.oci.image.layer.v1.tar+gzip";
        }

        @Override
        public InputStream openRaw() {
            return new ByteArrayInputStream(blob) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    if (gate != null) {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return -1;
                        }
                    }
                    return super.read(b, off, Math.min(len, 100));
                }
            };
        }
    }

    private static byte[] tar(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aLayerIsSavedCheckedAndItsFileDeletedAtTheEnd() throws Exception {
        byte[] tar = tar(1, 300_000);
        MemoryLayer layer = MemoryLayer.of(tar, true);
        LayerPrefetch.Saved saved;
        try (LayerPrefetch prefetch = new LayerPrefetch()) {
            saved = prefetch.start(layer).await();
            assertThat(Files.readAllBytes(saved.file())).isEqualTo(layer.blob());
            assertThat(saved.tarSize()).isEqualTo(tar.length);
            assertThat(prefetch.start(layer)).as("started once a blob").isSameAs(prefetch.start(layer));
        }
        assertThat(saved.file()).doesNotExist();
    }

    @Test
    void aLayerWhoseTarIsNotItsDiffIdIsRefused() throws Exception {
        try (LayerPrefetch prefetch = new LayerPrefetch()) {
            LayerPrefetch.Download d = prefetch.start(MemoryLayer.of(tar(2, 5_000), false));
            assertThatThrownBy(d::await).isInstanceOf(DistrolixException.class).hasMessageContaining("diff");
        }
    }

    @Test
    void whatNoImageWantsIsCancelledOnceEveryImageHasSaid() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        MemoryLayer a = MemoryLayer.of(tar(3, 50_000), true, gate);
        MemoryLayer b = MemoryLayer.of(tar(4, 50_000), true, gate);
        MemoryLayer c = MemoryLayer.of(tar(5, 50_000), true, gate);
        try (LayerPrefetch prefetch = new LayerPrefetch()) {
            prefetch.expectImages(2);
            prefetch.startAll(List.of(a, b, c));
            prefetch.keepOnly(Set.of(a.digest()));
            assertThat(prefetch.start(b).isCancelled()).as("one image of two has said").isFalse();
            prefetch.keepOnly(Set.of(b.digest()));
            gate.countDown();
            assertThat(prefetch.start(a).await().tarSize()).isEqualTo(50_000);
            assertThat(prefetch.start(b).await().tarSize()).isEqualTo(50_000);
            assertThatThrownBy(() -> prefetch.start(c).await()).isInstanceOf(InterruptedIOException.class);
        }
    }

    @Test
    void nothingStartsAfterTheEnd() throws Exception {
        LayerPrefetch prefetch = new LayerPrefetch();
        prefetch.close();
        LayerPrefetch.Download d = prefetch.start(MemoryLayer.of(tar(6, 1_000), true));
        assertThat(d.isCancelled()).isTrue();
        assertThatThrownBy(d::await).isInstanceOf(InterruptedIOException.class);
    }
}
