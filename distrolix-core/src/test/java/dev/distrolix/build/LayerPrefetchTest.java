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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry layers downloaded ahead: saved as they arrive and checked (digest, size, diff_id) before anyone is given
 * them; those no image wants cancelled once every image has said what it wants; every saved file deleted at the end.
 */
class LayerPrefetchTest {
    @TempDir
    Path dir;

    /** The names in {@link #dir}'s blobs folder. */
    private List<String> saved() throws IOException {
        Path blobs = dir.resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(blobs)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private LayerPrefetch prefetch() {
        return new LayerPrefetch(dir.resolve("blobs"));
    }
    /** A gzip layer served from memory; {@code gate}, when given, holds its stream's first read until counted down. */
    record MemoryLayer(byte[] blob, Digest digest, Digest diffId, CountDownLatch gate, AtomicInteger opened)
            implements Layer {
        static MemoryLayer of(byte[] tar, boolean rightDiffId) throws IOException {
            return of(tar, rightDiffId, null);
        }

        static MemoryLayer of(byte[] tar, boolean rightDiffId, CountDownLatch gate) throws IOException {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar);
            }
            byte[] blob = gz.toByteArray();
            return new MemoryLayer(blob, Digest.sha256(blob), Digest.sha256(rightDiffId ? tar : new byte[] {1}), gate,
                    new AtomicInteger());
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
            opened.incrementAndGet();
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
    void aLayerIsSavedBesideWhereItIsKeptCheckedAndDeletedAtTheEndUnlessTaken() throws Exception {
        byte[] tar = tar(1, 300_000);
        MemoryLayer layer = MemoryLayer.of(tar, true);
        MemoryLayer other = MemoryLayer.of(tar(7, 1_000), true);
        LayerPrefetch.Saved saved;
        Path kept = dir.resolve("blobs").resolve(layer.digest().hex());
        try (LayerPrefetch prefetch = prefetch()) {
            saved = prefetch.start(layer).await();
            assertThat(saved.file().getParent()).isEqualTo(dir.resolve("blobs"));
            assertThat(Files.readAllBytes(saved.file())).isEqualTo(layer.blob());
            assertThat(saved.tarSize()).isEqualTo(tar.length);
            assertThat(prefetch.start(layer)).as("started once a layer").isSameAs(prefetch.start(layer));
            assertThat(prefetch.start(layer).moveInto(kept)).isEqualTo(kept);
            assertThat(prefetch.start(layer).moveInto(kept)).as("taken twice: where it was put").isEqualTo(kept);
            prefetch.start(other).await();
            assertThat(saved()).hasSize(2);
        }
        assertThat(saved()).as("what was taken stays, the rest is deleted").containsExactly(layer.digest().hex());
        assertThat(Files.readAllBytes(kept)).isEqualTo(layer.blob());
    }

    /** One blob named twice, with its own diff_id and with another's: each claim checked on its own. */
    @Test
    void aBlobUnderTwoDiffIdsIsCheckedAgainstEach() throws Exception {
        MemoryLayer right = MemoryLayer.of(tar(8, 80_000), true);
        MemoryLayer posing = new MemoryLayer(right.blob(), right.digest(), Digest.sha256(tar(9, 80_000)), null,
                new AtomicInteger());
        try (LayerPrefetch prefetch = prefetch()) {
            prefetch.startAll(List.of(right, posing));
            assertThat(prefetch.start(right).await().tarSize()).isEqualTo(80_000);
            assertThatThrownBy(() -> prefetch.start(posing).await()).isInstanceOf(DistrolixException.class)
                    .hasMessageContaining("diff");
        }
    }

    @Test
    void aLayerWhoseTarIsNotItsDiffIdIsRefused() throws Exception {
        try (LayerPrefetch prefetch = prefetch()) {
            LayerPrefetch.Download d = prefetch.start(MemoryLayer.of(tar(2, 5_000), false));
            assertThatThrownBy(d::await).isInstanceOf(DistrolixException.class).hasMessageContaining("diff");
            assertThat(saved()).as("a refused download deletes its file at once").isEmpty();
        }
    }

    @Test
    void whatNoImageWantsIsCancelledOnceEveryImageHasSaid() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        MemoryLayer a = MemoryLayer.of(tar(3, 70_000), true, gate);
        MemoryLayer b = MemoryLayer.of(tar(4, 70_000), true, gate);
        MemoryLayer c = MemoryLayer.of(tar(5, 70_000), true, gate);
        MemoryLayer small = MemoryLayer.of(tar(10, 1_000), true, gate);
        try (LayerPrefetch prefetch = prefetch()) {
            prefetch.expectImages(2);
            prefetch.startAll(List.of(small, a, b, c));
            prefetch.keepOnly(Set.of(LayerPrefetch.Key.of(a)));
            assertThat(prefetch.start(b).isCancelled()).as("one image of two has said").isFalse();
            prefetch.keepOnly(Set.of(LayerPrefetch.Key.of(b)));
            gate.countDown();
            assertThat(prefetch.start(a).await().tarSize()).isEqualTo(70_000);
            assertThat(prefetch.start(b).await().tarSize()).isEqualTo(70_000);
            assertThatThrownBy(() -> prefetch.start(c).await()).isInstanceOf(InterruptedIOException.class);
            for (int i = 0; i < 100 && saved().size() != 2; i++) {
                Thread.sleep(20); // the cancelled download deletes its file as it stops
            }
            assertThat(saved()).hasSize(2);
            assertThat(small.opened()).as("a small layer is not started ahead").hasValue(0);
        }
    }

    @Test
    void nothingStartsAfterTheEnd() throws Exception {
        LayerPrefetch prefetch = prefetch();
        prefetch.close();
        LayerPrefetch.Download d = prefetch.start(MemoryLayer.of(tar(6, 1_000), true));
        assertThat(d.isCancelled()).isTrue();
        assertThatThrownBy(d::await).isInstanceOf(InterruptedIOException.class);
    }
}
