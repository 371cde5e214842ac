package dev.distrolix.cli;

import dev.distrolix.testing.IntegrationTest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.build.BuildResult;
import dev.distrolix.build.ImageBuild;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nginx image built from Java code, with no spec file: the same image as examples/nginx/image.yaml. */
@IntegrationTest
class JavaApiNginxTest {
    static final Path EXAMPLE = Fixtures.repo().resolve("examples/nginx");
    static final String INCLUDE = "nixpkgs=" + Fixtures.debianPackageSet();

    @TempDir
    Path tmp;

    @Test
    void theBuilderMadeNginxSpecGivesTheYamlSpecsDigest() throws Exception {
        // the README's "Java API" example
        ImageSpec spec = ImageSpec.builder()
                .name("nginx")
                .var("port", "80")
                .packages("nginx")
                .group("nginx", 31337)
                .user("nginx", 31337, u -> u.group("nginx").home("/var/empty"))
                .profile("/usr/local")
                .source("/etc/nginx/nginx.conf", "nginx.conf", p -> p.interpolate())
                .source("/usr/share/nginx/html/index.html", "index.html")
                .directory("/var/log/nginx", p -> p.owner("nginx").group("nginx"))
                .directory("/var/cache/nginx", p -> p.owner("nginx").group("nginx"))
                .directory("/var/lib/nginx", p -> p.owner("nginx").group("nginx"))
                .directory("/run")
                .directory("/tmp", p -> p.mode(01777))
                .config(c -> c.cmd("/usr/local/bin/nginx")
                        .env("PATH", "/usr/local/bin")
                        .exposedPorts("${port}/tcp")
                        .stopSignal("SIGQUIT")
                        .label("org.opencontainers.image.title", "nginx")
                        .label("org.opencontainers.image.description",
                                "The seed's nginx, built by distrolix from a Nix closure"))
                .baseDir(EXAMPLE)
                .build();
        BuildResult fromJava = ImageBuild.of(spec)
                .includes(List.of(INCLUDE))
                .cacheDir(null)
                .target("oci:" + tmp.resolve("java") + ":r")
                .build();
        BuildResult fromYaml = ImageBuild.fromSpec(EXAMPLE.resolve("image.yaml"))
                .includes(List.of(INCLUDE))
                .cacheDir(null)
                .target("oci:" + tmp.resolve("yaml") + ":r")
                .build();

        assertThat(fromJava.layers()).extracting(BuildResult.LayerSummary::digest)
                .containsExactlyElementsOf(fromYaml.layers().stream().map(BuildResult.LayerSummary::digest).toList());
        assertThat(fromJava.manifestDigest()).isEqualTo(fromYaml.manifestDigest());
        assertThat(fromJava.imageName()).isEqualTo("nginx");
    }
}
