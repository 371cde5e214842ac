package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.spec.Accounts.Group;
import dev.distrolix.spec.Accounts.User;
import dev.distrolix.spec.PathSpec.DirectorySpec;
import dev.distrolix.spec.PathSpec.FileSpec;
import dev.distrolix.spec.PathSpec.SymlinkSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults and the decisions the schema leaves to the loader. */
class SpecLoaderBehaviourTest {
    @TempDir
    Path dir;
    SpecFiles files;

    @BeforeEach
    void setUp() {
        files = new SpecFiles(dir);
    }

    @Test
    void minimalSpecGetsDefaults() {
        ImageSpec spec = files.load("image.yml", "name: registry.example/team/app\n");

        assertThat(spec.name()).isEqualTo("registry.example/team/app");
        assertThat(spec.tag()).isEmpty();
        assertThat(spec.baseDir()).isEqualTo(dir);
        assertThat(spec.packages()).isEmpty();
        assertThat(spec.accounts()).isEqualTo(new Accounts(List.of(Accounts.ROOT_GROUP), List.of(Accounts.ROOT_USER)));
        assertThat(spec.profile()).isEmpty();
        assertThat(spec.config()).isEqualTo(ConfigSpec.EMPTY);
        assertThat(spec.layering()).isEqualTo(LayeringSpec.DEFAULT);
        assertThat(spec.compression()).isEmpty();
    }

    @Test
    void typesAreInferredAndModesDefaulted() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                packages: [hello]
                paths:
                  - path: /var/lib/app/
                  - { path: /etc/motd, content: hi }
                  - { path: /bin/hello, target: "${packages.hello}/bin/hello", owner: 0, group: "0" }
                """);

        assertThat(spec.paths().get(0)).isInstanceOf(DirectorySpec.class).extracting("path", "mode")
                .containsExactly("/var/lib/app", 0755);
        assertThat(spec.paths().get(1)).isInstanceOf(FileSpec.class).extracting("mode").isEqualTo(0644);
        assertThat(spec.paths().get(2)).isInstanceOf(SymlinkSpec.class);
    }

    @Test
    void ownersByNameOrNumber() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                accounts:
                  groups: [ { name: app, gid: 2000 } ]
                  users: [ { name: app, uid: 1000 } ]
                paths:
                  - { path: /a, owner: app, group: app }
                  - { path: /b, owner: 4242, group: "4343" }
                  - { path: /c, owner: app }
                """);

        assertThat(spec.accounts().user("app")).contains(
                new User("app", 1000, 2000, "/", "/sbin/nologin", "", List.of()));
        assertThat(spec.paths()).extracting(PathSpec::uid, PathSpec::gid).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1000, 2000), org.assertj.core.groups.Tuple.tuple(4242, 4343),
                org.assertj.core.groups.Tuple.tuple(1000, 0));
    }

    @Test
    void declaredRootReplacesTheImplicitOne() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                accounts:
                  groups: [ { name: wheel, gid: 0 }, { name: staff, gid: 50 } ]
                  users: [ { name: root, uid: 0, gid: 0, home: /root, shell: /bin/sh, groups: [staff] } ]
                """);

        assertThat(spec.accounts().groups()).containsExactly(new Group("wheel", 0), new Group("staff", 50));
        assertThat(spec.accounts().users()).containsExactly(
                new User("root", 0, 0, "/root", "/bin/sh", "", List.of("staff")));
    }

    @Test
    void configShorthands() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                vars: { port: 80 }
                config:
                  entrypoint: [ /bin/app ]
                  env: [ "A=1", "B=x=y", "C=${port}" ]
                  user: "1000:1000"
                  exposed-ports: [ "8443/TCP", "${port}" ]
                """);

        ConfigSpec config = spec.config();
        assertThat(config.entrypoint()).extracting(Template::source).containsExactly("/bin/app");
        assertThat(config.env().keySet()).containsExactly("A", "B", "C");
        assertThat(config.env().get("B").source()).isEqualTo("x=y");
        assertThat(config.env().get("C").source()).isEqualTo("${port}");
        assertThat(config.exposedPorts()).extracting(Template::source).containsExactly("8443/tcp", "80/tcp");
    }

    @Test
    void nixpkgsFromNixPath() {
        ImageSpec spec = files.load("image.yaml", "name: app\nnixpkgs: <nixpkgs>\n");
        assertThat(spec.nixpkgs()).hasValueSatisfying(n -> assertThat(n).isInstanceOf(Nixpkgs.SearchPath.class)
                .extracting("name").isEqualTo("nixpkgs"));
        files.assertError("image.yaml", "name: app\nnixpkgs: nixpkgs\n", "image.yaml:2:10: nixpkgs: 'nixpkgs' does"
                + " not exist (looked for " + dir + "/nixpkgs; for a NIX_PATH entry write '<nixpkgs>')");
    }
}
