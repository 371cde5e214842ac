package dev.distrolix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.transport.ImageReference.Daemon;
import dev.distrolix.transport.ImageReference.DockerArchive;
import dev.distrolix.transport.ImageReference.Engine;
import dev.distrolix.transport.ImageReference.OciArchive;
import dev.distrolix.transport.ImageReference.OciLayout;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageTargetTest {
    @Test
    void ociDirWithAndWithoutTag() {
        assertThat(ImageReference.parse("oci:out/layout:1.0")).isEqualTo(new OciLayout(Path.of("out/layout"), "1.0", null));
        assertThat(ImageReference.parse("oci:/abs/dir")).isEqualTo(new OciLayout(Path.of("/abs/dir"), null, null));
    }

    @Test
    void ociArchive() {
        assertThat(ImageReference.parse("oci-archive:img.tar:v2")).isEqualTo(new OciArchive(Path.of("img.tar"), "v2", null));
        assertThat(ImageReference.parse("oci-archive:img.tar")).isEqualTo(new OciArchive(Path.of("img.tar"), null, null));
    }

    @Test
    void dockerArchiveNameAndTagIncludingRegistryPort() {
        assertThat(ImageReference.parse("docker-archive:a.tar:app:1"))
                .isEqualTo(new DockerArchive(Path.of("a.tar"), "app", "1"));
        assertThat(ImageReference.parse("docker-archive:a.tar:localhost:5000/x:1"))
                .isEqualTo(new DockerArchive(Path.of("a.tar"), "localhost:5000/x", "1"));
        // the ':' of the port is before the last '/', so it is not a tag separator
        assertThat(ImageReference.parse("docker-archive:a.tar:localhost:5000/team/x"))
                .isEqualTo(new DockerArchive(Path.of("a.tar"), "localhost:5000/team/x", null));
        assertThat(ImageReference.parse("docker-archive:a.tar:app"))
                .isEqualTo(new DockerArchive(Path.of("a.tar"), "app", null));
        assertThat(ImageReference.parse("docker-archive:a.tar")).isEqualTo(new DockerArchive(Path.of("a.tar"), null, null));
    }

    @Test
    void daemons() {
        assertThat(ImageReference.parse("podman")).isEqualTo(new Daemon(Engine.PODMAN, null, null));
        assertThat(ImageReference.parse("docker")).isEqualTo(new Daemon(Engine.DOCKER, null, null));
        assertThat(ImageReference.parse("podman:quay.io/org/app:3")).isEqualTo(new Daemon(Engine.PODMAN, "quay.io/org/app", "3"));
        assertThat(ImageReference.parse("docker:registry.example.com:443/a/b:latest"))
                .isEqualTo(new Daemon(Engine.DOCKER, "registry.example.com:443/a/b", "latest"));
    }

    @Test
    void defaultsFillOnlyWhatIsMissing() {
        assertThat(ImageReference.parse("docker-archive:a.tar").withDefaults("app", "latest"))
                .isEqualTo(new DockerArchive(Path.of("a.tar"), "app", "latest"));
        assertThat(ImageReference.parse("docker-archive:a.tar:mine").withDefaults("app", "latest"))
                .isEqualTo(new DockerArchive(Path.of("a.tar"), "mine", "latest"));
        assertThat(ImageReference.parse("oci:d:t").withDefaults("app", "latest")).isEqualTo(new OciLayout(Path.of("d"), "t", "app"));
        assertThat(ImageReference.parse("podman:x:9").withDefaults("app", "latest")).isEqualTo(new Daemon(Engine.PODMAN, "x", "9"));
        assertThatThrownBy(() -> ImageReference.parse("podman").withDefaults("Bad Name", "latest"))
                .isInstanceOf(InputException.class).hasMessageContaining("invalid image name");
    }

    @Test
    void registriesWithPortsDefaultsAndSeveralTags() {
        ImageReference.Registry r = (ImageReference.Registry) ImageReference.parse("docker://127.0.0.1:5000/team/app:1.0,latest");
        assertThat(r).isEqualTo(new ImageReference.Registry("127.0.0.1:5000/team/app", "1.0", java.util.List.of("latest"), null));
        assertThat(r.tags()).containsExactly("1.0", "latest");
        assertThat(r.ref().registry()).isEqualTo("127.0.0.1:5000");
        assertThat(r.ref().repository()).isEqualTo("team/app");
        ImageReference.Registry noTag = (ImageReference.Registry) ImageReference.parse("docker://localhost:5000/app");
        assertThat(noTag.tag()).isNull();
        assertThat(noTag.withDefaults("ignored", "dev").tags()).containsExactly("dev");
        assertThat(((ImageReference.Registry) ImageReference.parse("docker://nginx:1")).ref().familiar())
                .isEqualTo("docker.io/library/nginx:1");
        assertThat(ImageReference.parse("docker://h.io/x:1").imageName()).isEqualTo(new ImageName("h.io/x", "1"));
    }

    @Test
    void toStringRoundTrips() {
        for (String s : new String[] {"oci:/d:t", "oci-archive:/f.tar:t", "docker-archive:/f.tar:localhost:5000/x:1",
                "podman:app:1", "docker", "docker://127.0.0.1:5000/a/b:1,2"}) {
            assertThat(ImageReference.parse(s)).hasToString(s);
            assertThat(ImageReference.parse(ImageReference.parse(s).toString())).isEqualTo(ImageReference.parse(s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "oci", "oci:", "oci::tag", "oci:dir:", "oci:dir:bad tag", "oci:dir:-x",
            "docker-archive:", "docker-archive:f.tar:", "docker-archive:f.tar:UPPER:1", "docker-archive:f.tar:a@sha256:00",
            "podman:", "podman:app:", "docker://", "docker://h.io/UPPER:1", "docker://h.io/x@sha256:00",
            "docker://h.io/x:", "docker://h.io/x:a,,b", "docker://h.io/x:bad tag", "docker://bad_host:5000/x:1",
            "podman://h.io/x", "dir:/tmp/x", "registry:x", "OCI:dir",
            "podman:a//b:1", "docker-archive:f.tar:app:1:2"})
    void badStringsGiveOneLineListingTheForms(String spec) {
        assertThatThrownBy(() -> ImageReference.parse(spec))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("invalid image reference '" + spec + "': ")
                .hasMessageContaining(ImageReference.FORMS)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void imageNameNormalization() {
        assertThat(new ImageName("app", "1").normalized()).isEqualTo("docker.io/library/app:1");
        assertThat(new ImageName("team/app", "1").normalized()).isEqualTo("docker.io/team/app:1");
        assertThat(new ImageName("docker.io/app", "1").normalized()).isEqualTo("docker.io/library/app:1");
        assertThat(new ImageName("index.docker.io/team/app", "1").normalized()).isEqualTo("docker.io/team/app:1");
        assertThat(new ImageName("localhost/app", "1").normalized()).isEqualTo("localhost/app:1");
        assertThat(new ImageName("localhost:5000/app", "1").normalized()).isEqualTo("localhost:5000/app:1");
        assertThat(new ImageName("quay.io/org/app", "1").normalized()).isEqualTo("quay.io/org/app:1");
        assertThat(new ImageName("app", "1").podmanLocal()).isEqualTo(new ImageName("localhost/app", "1"));
        assertThat(new ImageName("quay.io/app", "1").podmanLocal()).isEqualTo(new ImageName("quay.io/app", "1"));
        assertThat(ImageName.parse("localhost:5000/x:1")).isEqualTo(new ImageName("localhost:5000/x", "1"));
        assertThatThrownBy(() -> ImageName.parse("localhost:5000/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tag");
    }
}
