package dev.distrolix.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks a layer's tar stream makes at its end: the blob's size and digest (unless its source checks it) and the diff_id. */
class LayerStreamTest {
    @TempDir
    Path dir;

    private static final Digest OTHER = Digest.sha256(new byte[] {1});

    @Test
    void aBlobOfAnotherDigestIsRefusedUnlessItsStreamChecksTheDigest() throws IOException {
        LayerBlob b = TestLayers.gzipLayer(dir, "a", Map.of("etc/hello", "hello"));
        Layer wrongDigest = new FileLayer(new LayerBlob(b.file(), OTHER, b.size(), b.diffId(), b.uncompressedSize(), b.compression()));
        try (InputStream blob = Files.newInputStream(b.file())) {
            assertThatThrownBy(() -> drain(LayerStream.open(wrongDigest, blob, "layer a")))
                    .isInstanceOf(InputException.class).hasMessageContaining("layer a: blob digest mismatch");
        }
        try (InputStream blob = Files.newInputStream(b.file())) {
            LayerStream s = LayerStream.openDigestChecked(wrongDigest, blob, "layer a");
            drain(s); // the blob's own stream answers for its digest
            assertThat(s.compressedSize()).isEqualTo(b.size());
            assertThat(s.uncompressedSize()).isEqualTo(b.uncompressedSize());
        }
    }

    @Test
    void theSizeAndTheDiffIdAreCheckedEitherWay() throws IOException {
        LayerBlob b = TestLayers.gzipLayer(dir, "b", Map.of("etc/hello", "hello"));
        Layer wrongSize = new FileLayer(new LayerBlob(b.file(), b.digest(), b.size() + 1, b.diffId(), b.uncompressedSize(), b.compression()));
        Layer wrongDiffId = new FileLayer(new LayerBlob(b.file(), b.digest(), b.size(), OTHER, b.uncompressedSize(), b.compression()));
        for (boolean checked : new boolean[] {false, true}) {
            try (InputStream blob = Files.newInputStream(b.file())) {
                LayerStream s = checked ? LayerStream.openDigestChecked(wrongSize, blob, "layer b") : LayerStream.open(wrongSize, blob, "layer b");
                assertThatThrownBy(() -> drain(s)).isInstanceOf(InputException.class)
                        .hasMessage("layer b: blob is " + b.size() + " bytes, the manifest says " + (b.size() + 1));
            }
            try (InputStream blob = Files.newInputStream(b.file())) {
                LayerStream s = checked ? LayerStream.openDigestChecked(wrongDiffId, blob, "layer b") : LayerStream.open(wrongDiffId, blob, "layer b");
                assertThatThrownBy(() -> drain(s)).isInstanceOf(InputException.class).hasMessageContaining("diff_id mismatch");
            }
        }
    }

    private static void drain(LayerStream s) throws IOException {
        try (s) {
            s.drain();
        }
    }
}
