package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static final Digest D1 = Digest.sha256("one".getBytes(StandardCharsets.UTF_8));
    private static final Digest D2 = Digest.sha256("two".getBytes(StandardCharsets.UTF_8));

    @Test
    void configHasSpecKeyOrderCompactWhitespaceAndOmitsAbsentFields() {
        ContainerConfig cc = ContainerConfig.builder()
                .user("1000:1000")
                .exposedPort("80").exposedPort("443/tcp").exposedPort("53/udp")
                .env(List.of("PATH=/bin", "A=b"))
                .entrypoint(List.of("/bin/nginx"))
                .cmd(List.of("-g", "daemon off;"))
                .volume("/var/log").volume("/data")
                .workingDir("/srv")
                .label("z", "last").label("a", "first")
                .stopSignal("SIGQUIT")
                .build();
        ImageConfig config = new ImageConfig(Instant.ofEpochSecond(1), new Platform("arm64", "linux", "v8"), cc,
                List.of(D1, D2), List.of(HistoryEntry.layer(Instant.ofEpochSecond(1), "distrolix", null),
                        new HistoryEntry(null, null, "second", false)));

        String json = new String(CanonicalJson.config(config), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"created\":\"1970-01-01T00:00:01Z\",\"architecture\":\"arm64\",\"os\":\"linux\","
                + "\"variant\":\"v8\",\"config\":{\"User\":\"1000:1000\","
                + "\"ExposedPorts\":{\"443/tcp\":{},\"53/udp\":{},\"80/tcp\":{}},"
                + "\"Env\":[\"PATH=/bin\",\"A=b\"],\"Entrypoint\":[\"/bin/nginx\"],\"Cmd\":[\"-g\",\"daemon off;\"],"
                + "\"Volumes\":{\"/data\":{},\"/var/log\":{}},\"WorkingDir\":\"/srv\","
                + "\"Labels\":{\"a\":\"first\",\"z\":\"last\"},\"StopSignal\":\"SIGQUIT\"},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D1 + "\",\"" + D2 + "\"]},"
                + "\"history\":[{\"created\":\"1970-01-01T00:00:01Z\",\"created_by\":\"distrolix\"},"
                + "{\"comment\":\"second\"}]}");
    }

    @Test
    void emptyConfigAndVariantAreOmitted() {
        ImageConfig config = new ImageConfig(null, Platform.linuxAmd64(), ContainerConfig.empty(), List.of(), null);
        assertThat(new String(CanonicalJson.config(config), StandardCharsets.UTF_8))
                .isEqualTo("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    }

    @Test
    void noHtmlEscapingAndRawUtf8ButJsonEscapesStay() {
        ContainerConfig cc = ContainerConfig.builder()
                .label("html", "<a href=\"x\">&</a>")
                .label("utf8", "grüße ✓")
                .label("ctl", "tab\there\nnl\\")
                .build();
        byte[] bytes = CanonicalJson.config(new ImageConfig(null, Platform.linuxAmd64(), cc, List.of(), null));
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"html\":\"<a href=\\\"x\\\">&</a>\"")
                .contains("\"utf8\":\"grüße ✓\"")
                .contains("\"ctl\":\"tab\\there\\nnl\\\\\"")
                .doesNotContain("\\u003c").doesNotEndWith("\n");
    }

    @Test
    void mapKeysAreInUtf8ByteOrderLikeGo() {
        // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts after U+1F600 (F0 …) in UTF-16 order but before it in UTF-8.
        String fullwidthA = "\uFF21";
        String emoji = "\uD83D\uDE00";
        Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, D1, 3, Map.of(emoji, "e", fullwidthA, "f", "b", "x"), null);
        String json = CanonicalJson.descriptor(d).toString();
        assertThat(json.indexOf("\"b\"")).isLessThan(json.indexOf(fullwidthA));
        assertThat(json.indexOf(fullwidthA)).isLessThan(json.indexOf(emoji));
    }

    @Test
    void manifestAndIndexShape() {
        Descriptor cfg = Descriptor.of(MediaTypes.OCI_CONFIG, D1, 10);
        Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, D2, 20);
        String manifest = new String(CanonicalJson.manifest(new ImageManifest(cfg, List.of(layer),
                Map.of("org.opencontainers.image.title", "t"))), StandardCharsets.UTF_8);
        assertThat(manifest).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":10},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":20}],"
                + "\"annotations\":{\"org.opencontainers.image.title\":\"t\"}}");

        Descriptor m = new Descriptor(MediaTypes.OCI_MANIFEST, D1, 5, Map.of("org.opencontainers.image.ref.name", "1"),
                Platform.linuxAmd64());
        String index = new String(CanonicalJson.index(new IndexManifest(List.of(m), null)), StandardCharsets.UTF_8);
        assertThat(index).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\","
                + "\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":5,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"},"
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
    }

    @Test
    void rfc3339() {
        assertThat(CanonicalJson.rfc3339(Instant.ofEpochSecond(1))).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(CanonicalJson.rfc3339(Instant.parse("2024-05-06T07:08:09.5Z"))).isEqualTo("2024-05-06T07:08:09.500Z");
    }

    @Test
    void invalidContainerSettingsAreRejected() {
        assertThatThrownBy(() -> ContainerConfig.builder().exposedPort("http").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
        assertThatThrownBy(() -> ContainerConfig.builder().exposedPort("70000/tcp").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContainerConfig.builder().env(List.of("NOEQUALS")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY=VALUE");
    }

    @Test
    void historyMustMatchLayers() {
        // configs read from other tools may disagree; the model says so, and the assembler refuses to write one
        ImageConfig c = new ImageConfig(null, Platform.linuxAmd64(), null, List.of(D1, D2),
                List.of(HistoryEntry.layer(null, "x", null), new HistoryEntry(null, "meta", null, true)));
        assertThat(c.historyMatchesLayers()).isFalse();
        assertThat(new ImageConfig(null, Platform.linuxAmd64(), null, List.of(D1),
                List.of(HistoryEntry.layer(null, "x", null))).historyMatchesLayers()).isTrue();
    }
}
