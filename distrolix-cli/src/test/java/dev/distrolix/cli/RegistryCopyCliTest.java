package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distrolix copy} between a registry, OCI layouts and both kinds of archive; the digest survives. */
@IntegrationTest
class RegistryCopyCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static RegistryServer registry;
    static String digest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
        Cli r = Cli.run("copy", NginxLayout.reference(), "docker://" + registry.address() + "/nginx:1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        digest = JSON.readTree(r.out()).get("digest").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    static String ref(String repoAndTag) {
        return "docker://" + registry.address() + "/" + repoAndTag;
    }

    static JsonNode copy(String src, String dst) throws Exception {
        Cli r = Cli.run("copy", src, dst, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void theDigestSurvivesRegistryToLayoutToArchivesAndBack() throws Exception {
        assertThat(copy(ref("nginx:1"), "oci:" + tmp.resolve("layout")).get("digest").asText()).isEqualTo(digest);
        assertThat(JSON.readTree(Fixtures.run("skopeo", "inspect", "oci:" + tmp.resolve("layout") + ":1"))
                .get("Digest").asText()).isEqualTo(digest);
        copy("oci:" + tmp.resolve("layout") + ":1", "oci-archive:" + tmp.resolve("nginx-oci.tar"));
        copy("oci-archive:" + tmp.resolve("nginx-oci.tar"), "docker-archive:" + tmp.resolve("nginx-docker.tar")
                + ":copied/nginx:2");
        JsonNode back = copy("docker-archive:" + tmp.resolve("nginx-docker.tar"), ref("copied/nginx:2,latest"));
        assertThat(back.get("digest").asText()).isEqualTo(digest);
        assertThat(back.get("push").get("mounted").asInt() + back.get("push").get("exists").asInt()).isEqualTo(8);
        assertThat(JSON.readTree(Fixtures.run("skopeo", "inspect", "--tls-verify=false", ref("copied/nginx:latest")))
                .get("Digest").asText()).isEqualTo(digest);
        String local = "localhost/distrolix-copied:1";
        try {
            assertThat(copy(ref("nginx:1"), "podman:" + local).get("target").asText()).isEqualTo("podman:" + local);
            assertThat(podman("image", "inspect", "--format", "{{.Id}}", local))
                    .isEqualTo(JSON.readTree(Files.readAllBytes(tmp.resolve("layout/blobs/sha256").resolve(digest.substring(7))))
                            .get("config").get("digest").asText().substring(7));
        } finally {
            podman("rmi", "-f", local);
        }
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("distrolix-copy-")
                    || n.startsWith("distrolix-pull-"));
        }
    }

    @Test
    void aPodmanSavedArchiveIsCompressedAndPushed() throws Exception {
        String image = registry.address() + "/nginx:1";
        podman("pull", "-q", "--tls-verify=false", image);
        Path saved = tmp.resolve("saved.tar");
        try {
            podman("save", "--format", "docker-archive", "-o", saved.toString(), image);
        } finally {
            podman("rmi", "-f", image);
        }
        Cli r = Cli.run("copy", "docker-archive:" + saved, ref("saved:1"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("blob      [0-9a-f]{12}: Compressing")
                .containsPattern("blob      [0-9a-f]{12}: Compressed to sha256:");
        // podman kept the config bytes, so the registry has that blob already (mounted from nginx). The
        // layers are the same bytes only when podman stored them from this pull: when an earlier test
        // loaded the same diff_ids from elsewhere, podman reuses its own copies, so count only the total.
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("blobs    (\\d+) uploaded \\([^)]*\\), 0 already there, (\\d+) mounted").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2))).isEqualTo(8);
        assertThat(Integer.parseInt(m.group(2))).isPositive();
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/saved:1", tmp.resolve("check"));

        // a Docker schema 2 manifest reads back as well; in an OCI layout it becomes an OCI manifest
        // (layouts list only those; skopeo converts the same way)
        JsonNode raw = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "--tls-verify=false", ref("saved:1")));
        assertThat(raw.get("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        JsonNode pulled = copy(ref("saved:1"), "oci:" + tmp.resolve("docker-v2"));
        raw = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "oci:" + tmp.resolve("docker-v2") + ":1"));
        assertThat(raw.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(raw.get("layers").get(0).get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(JSON.readTree(Fixtures.run("skopeo", "inspect", "oci:" + tmp.resolve("docker-v2") + ":1"))
                .get("Digest").asText()).isEqualTo(pulled.get("digest").asText());
    }

    @Test
    void anIndexIsPushedWholeAndALocalCopyTakesTheHostPlatform() throws Exception {
        Path layout = tmp.resolve("multi");
        copy(ref("nginx:1"), "oci:" + layout + ":1");
        // a second platform: the same blobs, its own manifest; then an index of both, tagged "multi"
        Path blobs = layout.resolve("blobs/sha256");
        byte[] amd64 = Files.readAllBytes(blobs.resolve(digest.substring(7)));
        ObjectNode arm = (ObjectNode) JSON.readTree(amd64);
        arm.putObject("annotations").put("test.platform", "arm64");
        byte[] arm64 = JSON.writeValueAsBytes(arm);
        Digest armDigest = Digest.sha256(arm64);
        Files.write(blobs.resolve(armDigest.hex()), arm64);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        manifests.addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json").put("digest", digest)
                .put("size", amd64.length).putObject("platform").put("architecture", "amd64").put("os", "linux");
        manifests.addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", armDigest.toString()).put("size", arm64.length)
                .putObject("platform").put("architecture", "arm64").put("os", "linux");
        byte[] indexBytes = JSON.writeValueAsBytes(index);
        Digest indexDigest = Digest.sha256(indexBytes);
        Files.write(blobs.resolve(indexDigest.hex()), indexBytes);
        ObjectNode top = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ((ArrayNode) top.get("manifests")).addObject().put("mediaType", "application/vnd.oci.image.index.v1+json")
                .put("digest", indexDigest.toString()).put("size", indexBytes.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        JSON.writeValue(layout.resolve("index.json").toFile(), top);

        JsonNode pushed = copy("oci:" + layout + ":multi", ref("multi:1"));
        assertThat(pushed.get("digest").asText()).isEqualTo(indexDigest.toString());
        assertThat(pushed.get("push").get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        JsonNode raw = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "--tls-verify=false", ref("multi:1")));
        assertThat(raw.get("manifests")).hasSize(2);
        Fixtures.run("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", ref("multi:1"), "dir:" + tmp.resolve("all"));

        JsonNode local = copy(ref("multi:1"), "oci:" + tmp.resolve("amd64"));
        assertThat(local.get("digest").asText()).isEqualTo(digest);
    }
}
