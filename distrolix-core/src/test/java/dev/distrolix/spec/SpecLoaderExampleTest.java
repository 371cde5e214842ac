package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.spec.Accounts.Group;
import dev.distrolix.spec.Accounts.User;
import dev.distrolix.nix.PackageRef.Attribute;
import dev.distrolix.spec.PathSpec.DirectorySpec;
import dev.distrolix.spec.PathSpec.FileSpec;
import dev.distrolix.spec.PathSpec.SymlinkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example spec of the schema documentation, in YAML and in JSON, binds to the same expected model. */
class SpecLoaderExampleTest {
    static final String EXAMPLE_YAML = """
            name: nginx
            tag: "1.0"
            nixpkgs: ./nixpkgs
            system: x86_64-linux
            vars: { port: 80, server_name: localhost }
            packages:
              - nginx
              - { attr: nginx, name: web }
            accounts:
              groups: [ { name: nginx, gid: 31337 } ]
              users:  [ { name: nginx, uid: 31337, group: nginx, home: /var/empty, shell: /sbin/nologin, gecos: "" } ]
            paths:
              - { path: /var/log/nginx, type: directory, mode: "0755", owner: nginx, group: nginx }
              - { path: /etc/nginx/nginx.conf, type: file, content: "worker_processes 1; listen ${port};" }
              - { path: /usr/share/nginx/html/index.html, type: file, source: index.html }
              - { path: /bin/app, type: symlink, target: "${packages.web}/bin/nginx" }
              - { path: /tmp, type: directory, mode: "1777" }
            profile:
              prefix: /usr/local
              packages: [web]
            config:
              entrypoint: ["/usr/local/bin/nginx"]
              cmd: ["-g", "daemon off;"]
              env: { PATH: /usr/local/bin, LANG: C.UTF-8 }
              working-dir: /
              user: "nginx:nginx"
              exposed-ports: [80, "443/tcp", "${port}/udp"]
              volumes: [/data]
              labels: { org.opencontainers.image.title: nginx }
              stop-signal: SIGQUIT
            layering: { strategy: popularity, max-layers: 100 }
            compression: zstd
            """;

    static final String EXAMPLE_JSON = """
            {
              "name": "nginx",
              "tag": "1.0",
              "nixpkgs": "./nixpkgs",
              "system": "x86_64-linux",
              "vars": {"port": 80, "server_name": "localhost"},
              "packages": ["nginx", {"attr": "nginx", "name": "web"}],
              "accounts": {
                "groups": [{"name": "nginx", "gid": 31337}],
                "users": [{"name": "nginx", "uid": 31337, "group": "nginx", "home": "/var/empty",
                           "shell": "/sbin/nologin", "gecos": ""}]
              },
              "paths": [
                {"path": "/var/log/nginx", "type": "directory", "mode": "0755", "owner": "nginx", "group": "nginx"},
                {"path": "/etc/nginx/nginx.conf", "type": "file", "content": "worker_processes 1; listen ${port};"},
                {"path": "/usr/share/nginx/html/index.html", "type": "file", "source": "index.html"},
                {"path": "/bin/app", "type": "symlink", "target": "${packages.web}/bin/nginx"},
                {"path": "/tmp", "type": "directory", "mode": "1777"}
              ],
              "profile": {"prefix": "/usr/local", "packages": ["web"]},
              "config": {
                "entrypoint": ["/usr/local/bin/nginx"],
                "cmd": ["-g", "daemon off;"],
                "env": {"PATH": "/usr/local/bin", "LANG": "C.UTF-8"},
                "working-dir": "/",
                "user": "nginx:nginx",
                "exposed-ports": [80, "443/tcp", "${port}/udp"],
                "volumes": ["/data"],
                "labels": {"org.opencontainers.image.title": "nginx"},
                "stop-signal": "SIGQUIT"
              },
              "layering": {"strategy": "popularity", "max-layers": 100},
              "compression": "zstd"
            }
            """;

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
    void yamlExampleBindsToTheExpectedModel() {
        ImageSpec spec = files.load("image.yaml", EXAMPLE_YAML);

        assertThat(spec).usingRecursiveComparison()
                .ignoringFieldsOfTypes(SourceLocation.class)
                .isEqualTo(expected(dir.resolve("image.yaml")));
    }

    @Test
    void jsonExampleBindsToTheSameModelAsYaml() {
        ImageSpec fromYaml = files.load("image.yaml", EXAMPLE_YAML);
        ImageSpec fromJson = files.load("image.json", EXAMPLE_JSON);

        assertThat(fromJson).usingRecursiveComparison()
                .ignoringFieldsOfTypes(SourceLocation.class)
                .ignoringFields("file")
                .isEqualTo(fromYaml);
    }

    @Test
    void modelKeepsFileOrderAndLocations() {
        ImageSpec spec = files.load("image.yaml", EXAMPLE_YAML);

        assertThat(spec.vars().keySet()).containsExactly("port", "server_name");
        assertThat(spec.config().env().keySet()).containsExactly("PATH", "LANG");
        assertThat(spec.packages().get(1).location()).isEqualTo(new SourceLocation(dir.resolve("image.yaml"), 8, 13));
        SymlinkSpec link = (SymlinkSpec) spec.paths().get(3);
        assertThat(link.location().line()).isEqualTo(16);
        assertThat(link.target().keyPath()).isEqualTo("paths[3].target");
        assertThat(spec.accounts().uidOf("nginx")).hasValue(31337);
        assertThat(spec.accounts().gidOf("root")).hasValue(0);
        assertThat(spec.accounts().uidOf("nobody")).isEmpty();
    }

    private ImageSpec expected(Path file) {
        SourceLocation at = SourceLocation.startOf(file); // ignored by the comparison
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("port", "80");
        vars.put("server_name", "localhost");
        Map<String, Template> env = new LinkedHashMap<>();
        env.put("PATH", literal("/usr/local/bin", "config.env.PATH"));
        env.put("LANG", literal("C.UTF-8", "config.env.LANG"));
        ConfigSpec config = new ConfigSpec(
                List.of(literal("/usr/local/bin/nginx", "config.entrypoint[0]")),
                List.of(literal("-g", "config.cmd[0]"), literal("daemon off;", "config.cmd[1]")),
                env,
                Optional.of(literal("/", "config.working-dir")),
                Optional.of(literal("nginx:nginx", "config.user")),
                List.of(literal("80/tcp", "config.exposed-ports[0]"), literal("443/tcp", "config.exposed-ports[1]"),
                        literal("80/udp", "config.exposed-ports[2]")),
                List.of(literal("/data", "config.volumes[0]")),
                Map.of("org.opencontainers.image.title",
                        literal("nginx", "config.labels[\"org.opencontainers.image.title\"]")),
                Optional.of("SIGQUIT"));
        return new ImageSpec(file, dir, "nginx", Optional.of("1.0"),
                Optional.of(new Nixpkgs.LocalPath(dir.resolve("nixpkgs"), at)), Optional.of("x86_64-linux"), vars,
                List.of(new PackageEntry("nginx", new Attribute(Optional.empty(), "nginx"), at),
                        new PackageEntry("web", new Attribute(Optional.empty(), "nginx"), at)),
                new Accounts(
                        List.of(Accounts.ROOT_GROUP, new Group("nginx", 31337)),
                        List.of(Accounts.ROOT_USER,
                                new User("nginx", 31337, 31337, "/var/empty", "/sbin/nologin", "", List.of()))),
                List.of(
                        new DirectorySpec("/var/log/nginx", 0755, 31337, 31337, at),
                        new FileSpec("/etc/nginx/nginx.conf", 0644, 0, 0, new FileContent.Inline(
                                Template.parse("worker_processes 1; listen ${port};", at, "paths[1].content")), at),
                        new FileSpec("/usr/share/nginx/html/index.html", 0644, 0, 0,
                                new FileContent.Source(dir.resolve("index.html"), false), at),
                        new SymlinkSpec("/bin/app", Template.parse("${packages.web}/bin/nginx", at, "paths[3].target"),
                                0, 0, at),
                        new DirectorySpec("/tmp", 01777, 0, 0, at)),
                Optional.of(new ProfileSpec("/usr/local", List.of("web"))),
                config,
                new LayeringSpec(LayeringStrategyName.POPULARITY, 100),
                Optional.of(dev.distrolix.blob.Compression.ZSTD));
    }

    private static Template literal(String text, String keyPath) {
        return Template.literal(text, new SourceLocation(Path.of("x"), 1, 1), keyPath);
    }
}
