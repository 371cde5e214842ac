package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.target.ImageTarget;
import dev.distrolix.target.ImageWriter;
import dev.distrolix.target.WriteResult;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to the real distribution registry and reads back with the real skopeo. */
class RegistryPushTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    RegistrySettings settings() {
        return RegistrySettings.defaults().withBlobCacheDir(tmp.resolve("cache"));
    }

    @Test
    void pushSkopeoReadsItBackAndSecondPushUploadsNothing() throws Exception {
        AssembledImage img = TestImages.image(tmp.resolve("layers"), "smoke", 3, 200_000);
        ImageTarget target = ImageTarget.parse("docker://" + registry.address() + "/smoke:1,latest");
        WriteResult r = ImageWriter.write(img, target, settings());
        assertThat(r.manifestDigest()).isEqualTo(img.manifestDigest());
        assertThat(registry.blobUploads("smoke")).isEqualTo(4);

        String inspect = Fixtures.run("skopeo", "inspect", "--tls-verify=false", "--raw",
                "docker://" + registry.address() + "/smoke:latest");
        assertThat(inspect).isEqualTo(new String(img.manifestBytes(), java.nio.charset.StandardCharsets.UTF_8));
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + registry.address() + "/smoke:1",
                "dir:" + tmp.resolve("copy"));

        ImageWriter.write(img, target, settings());
        assertThat(registry.blobUploads("smoke")).as("second push uploads nothing").isEqualTo(4);
    }
}
