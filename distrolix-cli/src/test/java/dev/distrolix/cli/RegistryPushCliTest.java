package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx example pushed by {@code build -o docker://…} to the real registry: skopeo and podman
 * pull it, podman runs it and the page is served; a second push sends nothing, a push to another
 * repository of the same registry mounts.
 */
@IntegrationTest
class RegistryPushCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static RegistryServer registry;
    static JsonNode firstPush;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushNginx() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
        Cli r = NginxImageTest.build(NginxImageTest.EXAMPLE, "docker://" + registry.address() + "/nginx:1", "--json");
        firstPush = JSON.readTree(r.out());
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    static String ref(String repoAndTag) {
        return registry.address() + "/" + repoAndTag;
    }

    @Test
    void skopeoAndPodmanPullThePushedImageAndItServesThePage() throws Exception {
        JsonNode push = firstPush.get("push");
        String digest = firstPush.get("manifestDigest").asText();
        assertThat(firstPush.get("target").asText()).isEqualTo("docker://" + ref("nginx:1"));
        assertThat(push.get("digest").asText()).isEqualTo(digest);
        assertThat(push.get("uploaded").asInt()).isEqualTo(8); // 7 layers and the config
        assertThat(push.get("blobs")).allSatisfy(b -> assertThat(b.get("fate").asText()).isEqualTo("uploaded"));

        JsonNode inspect = JSON.readTree(Fixtures.run("skopeo", "inspect", "--tls-verify=false", "docker://" + ref("nginx:1")));
        assertThat(inspect.get("Digest").asText()).isEqualTo(digest);
        RealToolsCheck.skopeoCopyVerifies(ref("nginx:1"), tmp.resolve("dir"));

        String image = ref("nginx:1");
        String name = "distrolix-registry-nginx";
        podman("pull", "-q", "--tls-verify=false", image);
        int port = Podman.freePort();
        try {
            Podman.runNginx(name, image, port);
            HttpResponse<String> page = Podman.getWhenUp("http://127.0.0.1:" + port + "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Hello from a distroless nginx");
            // .Digest is the first digest podman saw for this image ID (an earlier test may have loaded
            // the same image from an archive); the pull is recorded among the repo digests
            assertThat(podman("image", "inspect", "--format", "{{json .RepoDigests}}", image)).contains("@" + digest);
        } finally {
            Podman.removeQuietly(name);
            podman("rmi", "-f", image);
        }
    }

    @Test
    void aSecondPushUploadsNoBlobAndAnotherRepositoryMounts() throws Exception {
        long before = registry.blobUploads("nginx");
        JsonNode again = JSON.readTree(NginxImageTest.build(NginxImageTest.EXAMPLE,
                "docker://" + ref("nginx:1"), "--json").out()).get("push");
        assertThat(again.get("uploaded").asInt()).isZero();
        assertThat(again.get("exists").asInt()).isEqualTo(8);
        assertThat(registry.blobUploads("nginx")).isEqualTo(before);

        JsonNode mirror = JSON.readTree(NginxImageTest.build(NginxImageTest.EXAMPLE,
                "docker://" + ref("mirror/nginx:1,stable"), "--json").out()).get("push");
        assertThat(mirror.get("mounted").asInt()).isEqualTo(8);
        assertThat(mirror.get("blobs")).allSatisfy(b -> assertThat(b.get("mountedFrom").asText()).isEqualTo("nginx"));
        assertThat(registry.blobUploads("mirror/nginx")).isZero();
        assertThat(registry.blobMounts("mirror/nginx")).isEqualTo(8);
        assertThat(mirror.get("tags").toString()).isEqualTo("[\"1\",\"stable\"]");
        RealToolsCheck.skopeoCopyVerifies(ref("mirror/nginx:stable"), tmp.resolve("stable"));
    }

    @Test
    void plainProgressLinesInALog() {
        Cli r = NginxImageTest.build(NginxImageTest.EXAMPLE, "docker://" + ref("progress:1"));
        assertThat(r.err()).contains("push      docker://" + ref("progress:1") + " (8 blobs)")
                .containsPattern("blob      [0-9a-f]{12}: (Pushed \\d|Mounted from nginx)")
                .contains("manifest  1 sha256:")
                .contains("pushed    ")
                .doesNotContain("\033[");
        assertThat(r.out()).contains("target   docker://" + ref("progress:1"));
    }
}
