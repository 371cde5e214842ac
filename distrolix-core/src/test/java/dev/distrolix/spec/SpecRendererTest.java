package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.nix.StorePath;
import dev.distrolix.spec.ResolvedSpec.CopyOf;
import dev.distrolix.spec.ResolvedSpec.Directory;
import dev.distrolix.spec.ResolvedSpec.RegularFile;
import dev.distrolix.spec.ResolvedSpec.Symlink;
import dev.distrolix.spec.ResolvedSpec.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecRendererTest {
    private static final StorePath NGINX = StorePath.parse("/nix/store/0c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5-nginx-1.22.1");

    @TempDir
    Path dir;
    SpecFiles files;

    @BeforeEach
    void setUp() throws IOException {
        files = new SpecFiles(dir);
        Files.createDirectories(dir.resolve("nixpkgs"));
        files.write("index.html", "<h1>${not interpolated}</h1>");
    }

    @Test
    void rendersTheExample() {
        ImageSpec spec = files.load("image.yaml", SpecLoaderExampleTest.EXAMPLE_YAML);

        ResolvedSpec resolved = SpecRenderer.render(spec, Map.of("nginx", NGINX, "web", NGINX));

        assertThat(resolved.packagePaths().keySet()).containsExactly("nginx", "web");
        assertThat(resolved.paths()).containsExactly(
                new Directory("/var/log/nginx", 0755, 31337, 31337),
                new RegularFile("/etc/nginx/nginx.conf", 0644, 0, 0, new Text("worker_processes 1; listen 80;")),
                new RegularFile("/usr/share/nginx/html/index.html", 0644, 0, 0, new CopyOf(dir.resolve("index.html"))),
                new Symlink("/bin/app", NGINX + "/bin/nginx", 0, 0),
                new Directory("/tmp", 01777, 0, 0));
        ResolvedSpec.ResolvedConfig config = resolved.config();
        assertThat(config.entrypoint()).containsExactly("/usr/local/bin/nginx");
        assertThat(config.cmd()).containsExactly("-g", "daemon off;");
        assertThat(config.envList()).containsExactly("PATH=/usr/local/bin", "LANG=C.UTF-8");
        assertThat(config.workingDir()).contains("/");
        assertThat(config.user()).contains("nginx:nginx");
        assertThat(config.exposedPorts()).containsExactly("80/tcp", "443/tcp", "80/udp");
        assertThat(config.volumes()).containsExactly("/data");
        assertThat(config.labels()).containsExactly(Map.entry("org.opencontainers.image.title", "nginx"));
        assertThat(config.stopSignal()).contains("SIGQUIT");
    }

    @Test
    void interpolatedSourceIsReadAndRendered() {
        files.write("conf/app.conf", "bin=${packages.nginx}/bin\nport=${port}\nliteral=$${port}\n");
        ImageSpec spec = files.load("image.yaml", """
                name: app
                vars: { port: 8080 }
                packages: [nginx]
                paths: [ { path: /etc/app.conf, source: conf/app.conf, interpolate: true, mode: "0600" } ]
                """);

        ResolvedSpec resolved = SpecRenderer.render(spec, Map.of("nginx", NGINX));

        assertThat(resolved.paths()).containsExactly(new RegularFile("/etc/app.conf", 0600, 0, 0,
                new Text("bin=" + NGINX + "/bin\nport=8080\nliteral=${port}\n")));
    }

    @Test
    void missingStorePathIsReportedAtThePackage() {
        ImageSpec spec = files.load("image.yaml", "name: app\npackages:\n  - hello\n");

        assertThatThrownBy(() -> SpecRenderer.render(spec, Map.of()))
                .isInstanceOf(SpecException.class)
                .hasMessage(dir.resolve("image.yaml") + ":3:5: packages: no store path was resolved for package 'hello'");
        assertThatThrownBy(() -> SpecRenderer.render(spec, Map.of("hello", NGINX, "other", NGINX)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
