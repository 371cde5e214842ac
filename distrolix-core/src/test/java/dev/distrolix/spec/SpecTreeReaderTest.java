package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML features that must be harmless: anchors, aliases, merge keys, implicit typing. */
class SpecTreeReaderTest {
    @TempDir
    Path dir;
    SpecFiles files;

    @BeforeEach
    void setUp() {
        files = new SpecFiles(dir);
    }

    @Test
    void anchorsAliasesAndMergeKeys() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                vars: { port: &port 8080 }
                accounts:
                  groups: [ { name: app, gid: 1000 } ]
                  users:
                    - &base { name: app, uid: 1000, group: app, home: /srv }
                    - <<: *base
                      name: worker
                      uid: 1001
                paths:
                  - &dir { path: /srv, owner: app, mode: "0750" }
                  - { <<: *dir, path: /srv/cache }
                config:
                  exposed-ports: [*port]
                  env: { PORT: *port }
                """);

        assertThat(spec.accounts().users()).extracting(Accounts.User::name).containsExactly("root", "app", "worker");
        assertThat(spec.accounts().user("worker").orElseThrow().home()).isEqualTo("/srv");
        assertThat(spec.paths()).extracting(PathSpec::path).containsExactly("/srv", "/srv/cache");
        assertThat(((PathSpec.DirectorySpec) spec.paths().get(1)).mode()).isEqualTo(0750);
        assertThat(spec.config().exposedPorts().get(0).source()).isEqualTo("8080/tcp");
        assertThat(spec.config().env().get("PORT").source()).isEqualTo("8080");
    }

    @Test
    void scalarsKeepTheirSourceText() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                tag: 1.10
                vars: { version: 1.10, enabled: yes, octal: 0755 }
                paths: [ { path: /a, mode: 0755 }, { path: /b, mode: 755 } ]
                """);

        assertThat(spec.tag()).contains("1.10");
        assertThat(spec.vars()).containsEntry("version", "1.10").containsEntry("enabled", "yes")
                .containsEntry("octal", "0755");
        assertThat(spec.paths()).extracting(p -> ((PathSpec.DirectorySpec) p).mode()).containsExactly(0755, 0755);
    }

    @Test
    void explicitNullCountsAsAbsentAsNixToJsonWritesIt() {
        ImageSpec spec = files.load("image.json", "{\"name\": \"app\", \"tag\": null, \"profile\": null}");
        assertThat(spec.tag()).isEmpty();
        assertThat(spec.profile()).isEmpty();
    }

    @Test
    void mergeKeyNeedsAMap() {
        files.assertError("image.yaml", "name: app\nvars: &v [1]\nconfig:\n  <<: *v\n",
                "image.yaml:4:3: config: a '<<' merge key needs a map or a list of maps, found a list");
    }

    @Test
    void aliasToAnUnknownAnchor() {
        files.assertError("image.yaml", "name: app\ntag: *v\n", "image.yaml:2:6: tag: unknown YAML alias '*v'");
    }
}
