package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.Compression;
import dev.distrolix.nix.StorePath;
import dev.distrolix.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A spec written in Java is the spec written in YAML, checked by the same rules. */
class ImageSpecBuilderTest {
    static final Path NGINX = Fixtures.repo().resolve("examples/nginx");

    /** examples/nginx/image.yaml, key for key. */
    static ImageSpec nginx() {
        return ImageSpec.builder()
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
                .baseDir(NGINX)
                .build();
    }

    @Test
    void theNginxExampleInJavaIsTheYamlOne() {
        ImageSpec yaml = SpecLoader.load(NGINX.resolve("image.yaml"));
        ImageSpec java = nginx();
        assertThat(java.file()).isEqualTo(Path.of("ImageSpec.builder()"));
        assertThat(java).usingRecursiveComparison()
                .ignoringFieldsOfTypes(SourceLocation.class)
                .ignoringFields("file")
                .isEqualTo(yaml);
        StorePath nginx = StorePath.parse("/nix/store/00000000000000000000000000000000-nginx-1.22.1");
        assertThat(SpecRenderer.render(java, Map.of("nginx", nginx)).paths())
                .isEqualTo(SpecRenderer.render(yaml, Map.of("nginx", nginx)).paths());
    }

    @Test
    void typedValuesAndEveryKind() {
        ImageSpec spec = ImageSpec.builder()
                .name("app")
                .tag("1.0")
                .system("x86_64-linux")
                .nixpkgs("<nixpkgs>")
                .packages(new dev.distrolix.nix.PackageRef.Attribute(Optional.empty(), "python3Packages.flask"))
                .pkg("web", new dev.distrolix.nix.PackageRef.Flake("github:o/r#web"))
                .packages("/nix/store/00000000000000000000000000000000-hello-2.12")
                .file("/etc/app.conf", "port=${packages.web}\n", p -> p.mode(0600))
                .file("/etc/blob", new byte[] {0, (byte) 0xff, '$', '{'})
                .symlink("/bin/web", "${packages.web}/bin/web")
                .layering(LayeringStrategyName.PER_PATH, 50)
                .compression(Compression.ZSTD)
                .config(c -> c.entrypoint("/bin/web").cmd("--port", "80").workingDir("/srv").user("0:0")
                        .volumes("/data"))
                .build();
        assertThat(spec.packages()).extracting(PackageEntry::name).containsExactly("flask", "web", "hello");
        assertThat(spec.layering()).isEqualTo(new LayeringSpec(LayeringStrategyName.PER_PATH, 50));
        assertThat(spec.compression()).contains(Compression.ZSTD);
        assertThat(spec.tag()).contains("1.0");
        PathSpec.FileSpec conf = (PathSpec.FileSpec) spec.paths().get(0);
        assertThat(conf.mode()).isEqualTo(0600);
        PathSpec.FileSpec blob = (PathSpec.FileSpec) spec.paths().get(1);
        assertThat(blob.content()).isEqualTo(new FileContent.Bytes(new byte[] {0, (byte) 0xff, '$', '{'}));
        var resolved = SpecRenderer.render(spec, Map.of(
                "flask", StorePath.parse("/nix/store/11111111111111111111111111111111-flask-3"),
                "web", StorePath.parse("/nix/store/22222222222222222222222222222222-web"),
                "hello", StorePath.parse("/nix/store/00000000000000000000000000000000-hello-2.12")));
        assertThat(resolved.paths().get(1)).isEqualTo(new ResolvedSpec.RegularFile("/etc/blob", 0644, 0, 0,
                new ResolvedSpec.Data(new byte[] {0, (byte) 0xff, '$', '{'})));
        assertThat(((ResolvedSpec.Text) ((ResolvedSpec.RegularFile) resolved.paths().get(0)).content()).text()
                .getBytes(StandardCharsets.UTF_8)).asString()
                .isEqualTo("port=/nix/store/22222222222222222222222222222222-web\n");
        assertThat(resolved.config().entrypoint()).containsExactly("/bin/web");
        assertThat(resolved.config().cmd()).containsExactly("--port", "80");
    }

    @Test
    void mistakesAreReportedAsForASpecFileNamingTheBuilder() {
        assertThatThrownBy(() -> ImageSpec.builder().build())
                .isInstanceOf(SpecException.class)
                .hasMessage("ImageSpec.builder(): missing required key 'name'");
        assertThatThrownBy(() -> ImageSpec.builder().name("app").directory("/tmp", p -> p.mode(010000)).build())
                .hasMessage("ImageSpec.builder(): paths[0].mode: \"10000\" is outside 0..07777");
        assertThatThrownBy(() -> ImageSpec.builder().name("app").config(c -> c.cmd("${nope}")).build())
                .hasMessage("ImageSpec.builder(): config.cmd[0]: unknown variable in '${nope}' (not in vars)");
        assertThatThrownBy(() -> ImageSpec.builder().name("app").directory("/a").directory("/a").build())
                .hasMessage("ImageSpec.builder(): paths[1].path: '/a' is already declared at paths[0]"
                        + " (ImageSpec.builder())");
        assertThatThrownBy(() -> ImageSpec.builder().name("app").directory("/a", p -> p.owner("nobody")).build())
                .hasMessage("ImageSpec.builder(): paths[0].owner: unknown user 'nobody' (declared: root)");
        assertThatThrownBy(() -> ImageSpec.builder().name("app").source("/a", "missing.txt")
                .baseDir(Path.of("/nonexistent")).build())
                .hasMessage("ImageSpec.builder(): paths[0].source: 'missing.txt' does not exist"
                        + " (looked for /nonexistent/missing.txt)");
    }
}
