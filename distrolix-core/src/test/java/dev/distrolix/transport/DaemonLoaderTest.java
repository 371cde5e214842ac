package dev.distrolix.transport;

import static dev.distrolix.transport.RealTools.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.blob.Digest;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLoaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<String> loaded = new ArrayList<>();
    private final String repo = "distrolix-test/load-" + Fixtures.uniqueSuffix();

    @AfterEach
    void removeLoadedImages() throws Exception {
        RealTools.podmanRmi(loaded.toArray(String[]::new));
    }

    @IntegrationTest
    @Test
    void streamsIntoPodmanLoad() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "p");
        String expected = "localhost/" + repo + ":1"; // a bare name is local to podman, as after podman build
        loaded.add(expected);
        WriteResult r = write(img, "podman:" + repo + ":1");
        assertThat(r.where()).isEqualTo("podman:" + expected);
        assertThat(r.manifestDigest()).isEqualTo(img.manifestDigest());

        assertThat(ok("podman", "images", "--format", "{{.Repository}}:{{.Tag}}")).contains(expected);
        JsonNode inspect = JSON.readTree(ok("podman", "image", "inspect", expected)).get(0);
        assertThat(inspect.get("Id").asText()).isEqualTo(img.imageId().hex());
        assertThat(inspect.get("Digest").asText()).isEqualTo(img.manifestDigest().toString());
        assertThat(inspect.at("/RootFS/Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(img.config().diffIds().stream().map(Digest::toString).toList());
        assertThat(inspect.at("/Config/Labels/variant").asText()).isEqualTo("p");

        // a qualified name is kept as given
        String qualified = "localhost:5000/" + repo + ":2";
        loaded.add(qualified);
        assertThat(write(img, "podman:" + qualified).where()).isEqualTo("podman:" + qualified);
    }

    @IntegrationTest
    @Test
    void aBadLayerAbortsTheLoadAndLoadsNothing() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "bad");
        Files.delete(img.blobs().get(1).file());
        String name = "localhost/" + repo + ":bad";
        loaded.add(name);
        assertThatThrownBy(() -> write(img, "podman:" + name))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("layer blob " + img.blobs().get(1).file() + " is missing");
        assertThat(ok("podman", "images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain(name);
    }

    @Test
    void dockerWithoutAReachableEngineIsOneLine() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "d");
        RealTools.Result info = RealTools.run("sh", "-c", "command -v docker >/dev/null && docker info >/dev/null 2>&1");
        if (info.exit() == 0) {
            // an engine is running here after all: then the load must work
            WriteResult r = write(img, "docker:" + repo + ":1");
            assertThat(r.where()).startsWith("docker:");
            RealTools.run("docker", "rmi", repo + ":1");
            return;
        }
        assertThatThrownBy(() -> write(img, "docker:" + repo + ":1"))
                .isInstanceOf(ImageOutputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
                        .matches("docker (load failed \\(exit \\d+\\): .+|is not installed or cannot be run .+)"));
    }

    @Test
    void missingProgramIsOneLine() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "m");
        assertThatThrownBy(() -> DaemonLoader.load(img, new ImageName(repo, "1"), "distrolix-no-such-engine"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("distrolix-no-such-engine is not installed or cannot be run (not found on PATH);"
                        + " install it or choose another output");
    }

    @Test
    void anEngineThatQuitsEarlyIsReportedWithItsExitCode() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "q");
        // coreutils `false` ignores its arguments, reads nothing and exits 1: the pipe breaks under us
        assertThatThrownBy(() -> DaemonLoader.load(img, new ImageName(repo, "1"), "false"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("false load failed (exit 1): no message");
    }

    private static WriteResult write(AssembledImage img, String target) throws java.io.IOException {
        return Transports.write(img, ImageReference.parse(target), RegistrySettings.defaults());
    }

    @Test
    void loadedNameIsParsedFromBothEngines() {
        assertThat(DaemonLoader.loadedName("Loaded image: localhost/app:1\n")).contains("localhost/app:1");
        assertThat(DaemonLoader.loadedName("Loaded image(s): localhost/a:1,localhost/b:2\n")).contains("localhost/a:1");
        assertThat(DaemonLoader.loadedName("Loaded image ID: sha256:abc\n")).contains("sha256:abc");
        assertThat(DaemonLoader.loadedName("")).isEmpty();
    }
}
