package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh runner's registry read starts before the spec is read only when the command line names all it reads
 * (a registry target with a tag, an empty layer cache, --cache-from that parse), and what it has to say waits until
 * the build takes it up. Registries here are ports nothing listens on: each read fails at once.
 */
class EarlyRegistryReadTest {
    @TempDir
    Path tmp;

    private final List<String> said = new ArrayList<>();
    private final BuildListener listener = e -> {
        if (e instanceof BuildEvent.Notice n) {
            synchronized (said) {
                said.add(n.message());
            }
        }
    };

    private RegistrySettings settings() {
        return RegistrySettings.defaults(Map.of(), tmp.resolve("home"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void itsNoticesWaitUntilTheBuildTakesItUp() throws Exception {
        int port = closedPort();
        ImageReference target = ImageReference.parseTarget("docker://127.0.0.1:" + port + "/app:1");
        try (RegistryLayers.Lazy early = RegistryLayers.early(target, null, tmp.resolve("cache"),
                List.of("docker://127.0.0.1:" + port + "/base:1"), settings(), listener)) {
            assertThat(early).isNotNull();
            early.get(); // the read has ended (both images unreachable)
            synchronized (said) {
                assertThat(said).isEmpty();
            }
            assertThat(early.adopted()).isSameAs(early);
            synchronized (said) {
                // the target's own tag is quietly absent; the --cache-from image is said not to be used, once
                assertThat(said).hasSize(1);
                assertThat(said.get(0)).startsWith("--cache-from docker://127.0.0.1:" + port + "/base:1 not used: ");
            }
        }
    }

    @Test
    void nothingStartsEarlyWithoutAllItNeeds() throws Exception {
        int port = closedPort();
        Path empty = tmp.resolve("cache");
        ImageReference tagged = ImageReference.parseTarget("docker://127.0.0.1:" + port + "/app:1");
        ImageReference untagged = ImageReference.parseTarget("docker://127.0.0.1:" + port + "/app");
        // no tag yet (the spec's would be used): not before the spec
        assertThat(RegistryLayers.early(untagged, null, empty, List.of(), settings(), listener)).isNull();
        // not a registry
        assertThat(RegistryLayers.early(ImageReference.parseTarget("oci:" + tmp.resolve("out")), null, empty, List.of(),
                settings(), listener)).isNull();
        // no layer cache, or one that holds layers: a warm build reads the registry only on a miss
        assertThat(RegistryLayers.early(tagged, null, null, List.of(), settings(), listener)).isNull();
        Path warm = Files.createDirectories(tmp.resolve("warm/keys"));
        Files.writeString(warm.resolve("k.json"), "{}");
        assertThat(RegistryLayers.early(tagged, null, tmp.resolve("warm"), List.of(), settings(), listener)).isNull();
        // a --cache-from that is not a registry image, or a --tag that is not a tag: reported later, in turn
        assertThat(RegistryLayers.early(tagged, null, empty, List.of("oci:x"), settings(), listener)).isNull();
        assertThat(RegistryLayers.early(untagged, "bad tag!", empty, List.of(), settings(), listener)).isNull();
        synchronized (said) {
            assertThat(said).isEmpty();
        }
        // with --tag, an untagged target is enough
        try (RegistryLayers.Lazy l = RegistryLayers.early(untagged, "2", empty, List.of(), settings(), listener)) {
            assertThat(l).isNotNull();
        }
    }
}
