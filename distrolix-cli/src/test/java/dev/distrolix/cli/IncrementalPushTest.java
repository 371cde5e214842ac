package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edit–rebuild–push loop: after a one-file change only the declared-files layer, the config and the manifest move. */
@IntegrationTest
class IncrementalPushTest {
    @TempDir
    Path tmp;

    private JsonNode buildAndPush(Path spec, String ref) throws Exception {
        Cli r = Cli.run("build", spec.toString(), "--json", "--cache-dir", tmp.resolve("cache").toString(),
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "-o", "docker://" + ref);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void editingIndexHtmlRebuildsOneLayerAndPushesOnlyItTheConfigAndTheManifest() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("nginx"));
        try (Stream<Path> s = Files.list(Fixtures.repo().resolve("examples/nginx"))) {
            for (Path f : s.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path spec = dir.resolve("image.yaml");
        try (RegistryServer registry = RegistryServer.in(tmp.resolve("registry")).start()) {
            String ref = registry.address() + "/web:1";
            JsonNode cold = buildAndPush(spec, ref);
            assertThat(registry.blobUploads("web")).isEqualTo(8); // 7 layers + config

            Files.writeString(dir.resolve("index.html"), "<h1>edited</h1>\n");
            JsonNode warm = buildAndPush(spec, ref);
            List<String> layerFates = new ArrayList<>();
            warm.get("layers").forEach(l -> layerFates.add(l.get("fate").asText()));
            assertThat(layerFates.subList(0, 6)).containsOnly("cached");
            assertThat(layerFates.get(6)).isEqualTo("built");

            String newLayer = warm.get("layers").get(6).get("digest").asText();
            String config = warm.get("configDigest").asText();
            List<String> uploaded = new ArrayList<>();
            warm.get("push").get("blobs").forEach(b -> {
                if (b.get("fate").asText().equals("uploaded")) {
                    uploaded.add(b.get("digest").asText());
                }
            });
            assertThat(uploaded).containsExactlyInAnyOrder(newLayer, config);
            assertThat(warm.get("push").get("exists").asInt()).isEqualTo(6);
            // counted by the registry itself: 8 from the first push, 2 more now
            assertThat(registry.blobUploads("web")).isEqualTo(10);
            assertThat(registry.countRequests("\"PUT /v2/web/manifests/1 HTTP/1.1\" 201")).isEqualTo(2);
            assertThat(warm.get("manifestDigest")).isNotEqualTo(cold.get("manifestDigest"));
            RealToolsCheck.skopeoCopyVerifies(ref, tmp.resolve("check"));
        }
    }
}
