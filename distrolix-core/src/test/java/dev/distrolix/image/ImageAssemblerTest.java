package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageAssemblerTest {
    @TempDir
    Path tmp;

    @Test
    void assemblesConfigAndManifestFromLayers() throws Exception {
        LayerBlob a = TestLayers.gzipLayer(tmp, "a", Map.of("etc/a.txt", "a\n"));
        LayerBlob b = TestLayers.layer(tmp, "b", Map.of("etc/b.txt", "b\n"), Compression.ZSTD);
        AssembledImage img = ImageAssembler.assemble(Platform.linuxAmd64(),
                ContainerConfig.builder().entrypoint(List.of("/bin/x")).build(), Instant.ofEpochSecond(1),
                List.of(a, b), List.of(HistoryEntry.layer(Instant.ofEpochSecond(1), "layer a", null),
                        HistoryEntry.layer(Instant.ofEpochSecond(1), "layer b", null)),
                Map.of("org.opencontainers.image.title", "demo"));

        JsonNode config = CanonicalJson.parse(img.configBytes());
        assertThat(config.get("created").asText()).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo(a.diffId().toString());
        assertThat(config.at("/rootfs/diff_ids/1").asText()).isEqualTo(b.diffId().toString());
        assertThat(img.configDigest()).isEqualTo(Digest.sha256(img.configBytes())).isEqualTo(img.imageId());

        JsonNode manifest = CanonicalJson.parse(img.manifestBytes());
        assertThat(manifest.at("/config/mediaType").asText()).isEqualTo(MediaTypes.OCI_CONFIG);
        assertThat(manifest.at("/config/digest").asText()).isEqualTo(img.configDigest().toString());
        assertThat(manifest.at("/config/size").asLong()).isEqualTo(img.configBytes().length);
        assertThat(manifest.at("/layers/0/mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(manifest.at("/layers/0/digest").asText()).isEqualTo(a.digest().toString());
        assertThat(manifest.at("/layers/0/size").asLong()).isEqualTo(a.size());
        assertThat(manifest.at("/layers/1/mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER_ZSTD);
        assertThat(manifest.at("/annotations/org.opencontainers.image.title").asText()).isEqualTo("demo");

        assertThat(img.manifestDescriptor().digest()).isEqualTo(Digest.sha256(img.manifestBytes()));
        assertThat(img.manifestDescriptor().size()).isEqualTo(img.manifestBytes().length);
        assertThat(img.manifestDescriptor().platform()).isEqualTo(Platform.linuxAmd64());
        assertThat(img.chainId()).isEqualTo(ChainId.of(List.of(a.diffId(), b.diffId())));
    }

    @Test
    void sameInputsGiveSameBytes() throws Exception {
        LayerBlob a = TestLayers.gzipLayer(tmp, "a", Map.of("x", "x"));
        AssembledImage one = ImageAssembler.assemble(Platform.linuxAmd64(), ContainerConfig.empty(),
                Instant.ofEpochSecond(1), List.of(a), List.of(), Map.of());
        AssembledImage two = ImageAssembler.assemble(Platform.linuxAmd64(), ContainerConfig.empty(),
                Instant.ofEpochSecond(1), List.of(a), List.of(), Map.of());
        assertThat(two.configBytes()).isEqualTo(one.configBytes());
        assertThat(two.manifestBytes()).isEqualTo(one.manifestBytes());
        assertThat(two.manifestDigest()).isEqualTo(one.manifestDigest());
    }

    @Test
    void bytesCannotBeChangedFromOutside() throws Exception {
        LayerBlob a = TestLayers.gzipLayer(tmp, "a", Map.of("x", "x"));
        AssembledImage img = ImageAssembler.assemble(Platform.linuxAmd64(), null, null, List.of(a), null, null);
        img.configBytes()[0] = 'X';
        assertThat(Digest.sha256(img.configBytes())).isEqualTo(img.configDigest());
    }

    @Test
    void uncompressedLayerMustHaveDigestEqualDiffId() throws Exception {
        LayerBlob a = TestLayers.layer(tmp, "a", Map.of("x", "x"), Compression.NONE);
        LayerBlob wrong = new LayerBlob(a.file(), a.digest(), a.size(), Digest.sha256(new byte[0]),
                a.uncompressedSize(), Compression.NONE);
        assertThatThrownBy(() -> ImageAssembler.assemble(Platform.linuxAmd64(), null, null, List.of(wrong), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be equal");
    }

    @Test
    void chainIdFollowsTheSpecFormula() throws Exception {
        Digest l0 = Digest.sha256("l0".getBytes(StandardCharsets.UTF_8));
        Digest l1 = Digest.sha256("l1".getBytes(StandardCharsets.UTF_8));
        Digest l2 = Digest.sha256("l2".getBytes(StandardCharsets.UTF_8));
        var md = Digest.newSha256();
        String c1 = "sha256:" + HexFormat.of().formatHex(md.digest((l0 + " " + l1).getBytes(StandardCharsets.UTF_8)));
        String c2 = "sha256:" + HexFormat.of().formatHex(md.digest((c1 + " " + l2).getBytes(StandardCharsets.UTF_8)));
        assertThat(ChainId.all(List.of(l0, l1, l2))).extracting(Digest::toString).containsExactly(l0.toString(), c1, c2);
        assertThat(ChainId.of(List.of(l0))).isEqualTo(l0);
        assertThatThrownBy(() -> ChainId.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
