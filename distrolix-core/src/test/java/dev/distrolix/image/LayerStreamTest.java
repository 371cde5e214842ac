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
import java.util.List;
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

    /** With the free allowance made 1 MiB for the test (1 GiB in use); the rule is the same. */
    @Test
    void aLayerThatUnpacksToMoreThan256TimesItsBlobIsRefusedAsItIsRead() throws IOException {
        byte[] zeros = gzip(new byte[64 << 20]); // ~65 kB of blob
        byte[] mixed = new byte[8 << 20];
        new java.util.Random(1).ints(mixed.length, 0, 16).forEach(new java.util.function.IntConsumer() {
            int i;

            @Override
            public void accept(int v) {
                mixed[i++] = (byte) v; // 4 bits of entropy a byte: deflates ~2×
            }
        });
        long free = LayerStream.freeUnpacked;
        LayerStream.freeUnpacked = 1 << 20;
        try {
            LayerStream bomb = LayerStream.open(unknownSize(zeros), new java.io.ByteArrayInputStream(zeros), "layer z");
            assertThatThrownBy(() -> drain(bomb)).isInstanceOf(InputException.class)
                    .hasMessageMatching("layer z: unpacks to more than \\d+ MiB from \\d+ bytes of blob \\(a layer may unpack to"
                            + " 1 GiB \\+ 256 times its blob; DISTROLIX_UNPACK_RATIO allows more\\): refused as a decompression bomb");
            assertThat(bomb.uncompressedSize()).isLessThan(20L << 20); // stopped early, not at 64 MiB
            byte[] gz = gzip(mixed);
            LayerStream fine = LayerStream.open(unknownSize(gz), new java.io.ByteArrayInputStream(gz), "layer m");
            drain(fine);
            assertThat(fine.uncompressedSize()).isEqualTo(mixed.length);
            // a layer whose tar size is known (one we built) is held to that size instead
            LayerBlob b = TestLayers.gzipLayer(dir, "c", Map.of("zeros", "\0".repeat(8 << 20)));
            try (InputStream blob = Files.newInputStream(b.file())) {
                LayerStream known = LayerStream.open(new FileLayer(b), blob, "layer c");
                drain(known);
                assertThat(known.uncompressedSize()).isEqualTo(b.uncompressedSize()).isGreaterThan(8L << 20);
            }
            // and is refused as soon as it goes past that size
            Layer shorter = new FileLayer(new LayerBlob(b.file(), b.digest(), b.size(), b.diffId(), 4 << 20, b.compression()));
            try (InputStream blob = Files.newInputStream(b.file())) {
                LayerStream s = LayerStream.open(shorter, blob, "layer d");
                assertThatThrownBy(() -> drain(s)).isInstanceOf(InputException.class)
                        .hasMessage("layer d: its tar goes on past the " + (4 << 20) + " bytes it was recorded as");
                assertThat(s.uncompressedSize()).isLessThan(5L << 20);
            }
        } finally {
            LayerStream.freeUnpacked = free;
        }
    }

    /** One bomb layer named three times: each layer alone is within its bound, the image's three are not. */
    @Test
    void aBlobNamedAgainAddsNothingToWhatTheImageMayUnpackTo() throws IOException {
        byte[] tar = new dev.distrolix.transport.TestLayouts.Tar().file("zeros", "\0".repeat(1 << 20)).bytes();
        Path once = dev.distrolix.transport.TestLayouts.ociLayout(dir.resolve("once"), List.of(tar),
                dev.distrolix.transport.TestLayouts.Zip.GZIP, false);
        Path thrice = dev.distrolix.transport.TestLayouts.ociLayout(dir.resolve("thrice"), List.of(tar, tar, tar),
                dev.distrolix.transport.TestLayouts.Zip.GZIP, false);
        long free = LayerStream.freeUnpacked;
        LayerStream.freeUnpacked = 2 << 20; // one layer of 1 MiB and its 1 kB blob: within 2 MiB + 256 kB
        try {
            assertThat(read(once).entries()).hasSize(1);
            assertThatThrownBy(() -> read(thrice)).isInstanceOf(InputException.class)
                    .hasMessageMatching("oci:.*thrice: layer 3 \\(sha256:[0-9a-f]{12}…\\): the image's layers unpack to"
                            + " more than 2 MiB together \\(1 GiB \\+ 256 times each distinct blob\\): refused as a"
                            + " decompression bomb");
        } finally {
            LayerStream.freeUnpacked = free;
        }
    }

    private static dev.distrolix.inspect.FlatFilesystem read(Path layout) throws IOException {
        try (dev.distrolix.transport.OpenedImage o = dev.distrolix.transport.Transports.open("oci:" + layout,
                dev.distrolix.registry.RegistrySettings.defaults())) {
            return dev.distrolix.inspect.FlatFilesystem.read(o.image());
        }
    }

    @Test
    void theRatioSettingIsAWholeNumberFromOneToAMillion() {
        assertThat(LayerStream.ratio("256")).isEqualTo(256);
        assertThat(LayerStream.ratio(" 4096 ")).isEqualTo(4096);
        for (String bad : new String[] {"0", "-3", "1000001", "1e3", "", "lots"}) {
            assertThat(LayerStream.ratio(bad)).as(bad).isEqualTo(-1);
        }
        assertThat(LayerStream.maxExpansion()).isEqualTo(256); // the tests' JVM sets neither
    }

    private static byte[] gzip(byte[] data) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static Layer unknownSize(byte[] blob) {
        Digest digest = Digest.sha256(blob);
        return new Layer() {
            @Override
            public Digest digest() {
                return digest;
            }

            @Override
            public Digest diffId() {
                return null;
            }

            @Override
            public long size() {
                return blob.length;
            }

            @Override
            public String mediaType() {
                return MediaTypes.OCI_LAYER_GZIP;
            }

            @Override
            public InputStream openRaw() {
                return new java.io.ByteArrayInputStream(blob);
            }
        };
    }

    private static void drain(LayerStream s) throws IOException {
        try (s) {
            s.drain();
        }
    }
}
