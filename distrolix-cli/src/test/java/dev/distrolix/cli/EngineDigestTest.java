package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect podman:NAME} reports the digest podman itself shows, whoever built the image. */
@IntegrationTest
class EngineDigestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void anImageDistrolixBuilt() throws Exception {
        String name = "localhost/distrolix-digest-built:1";
        try {
            Cli copy = Cli.run("copy", NginxLayout.reference(), "podman:" + name, "-q");
            assertThat(copy.exitCode()).as(copy.err()).isZero();
            assertSameDigest(name);
        } finally {
            podman("rmi", "-f", name);
        }
    }

    @Test
    void anImagePodmanBuiltItself() throws Exception {
        String name = "localhost/distrolix-digest-podman:1";
        Files.writeString(tmp.resolve("hello.txt"), "hello\n");
        Files.writeString(tmp.resolve("Containerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/x\"]\n");
        try {
            podman("build", "-q", "-t", name, tmp.toString());
            assertSameDigest(name);
        } finally {
            podman("rmi", "-f", name);
        }
    }

    private static void assertSameDigest(String name) throws Exception {
        String podmanDigest = podman("image", "inspect", "--format", "{{.Digest}}", name);
        String podmanId = podman("image", "inspect", "--format", "{{.Id}}", name);
        Cli r = Cli.run("inspect", "podman:" + name, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("manifestDigest").asText()).isEqualTo(podmanDigest);
        assertThat(j.get("configDigest").asText()).isEqualTo("sha256:" + podmanId);
    }
}
