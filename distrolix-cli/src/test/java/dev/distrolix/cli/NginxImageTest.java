package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's nginx example, built by the CLI, checked by the real tools and run by podman (runc). */
@IntegrationTest
class NginxImageTest {
    static final Path EXAMPLE = Fixtures.repo().resolve("examples/nginx/image.yaml");
    static final String INCLUDE = "nixpkgs=" + Fixtures.debianPackageSet();

    @TempDir
    Path tmp;

    static Cli build(Path spec, String target, String... extra) {
        List<String> args = new ArrayList<>(List.of("build", spec.toString(), "-I", INCLUDE, "-o", target));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("build %s: %s", target, r.err()).isZero();
        return r;
    }

    /** Loads an archive into podman and returns the image name podman gave it. */
    static String podmanLoad(Path archive) {
        String out = podman("load", "-i", archive.toString());
        Matcher m = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)").matcher(out);
        assertThat(m.find()).as("podman load said: %s", out).isTrue();
        return m.group(1).split(",")[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "oci-archive", "docker-archive", "podman"})
    void eachOutputKindLoadsIntoPodmanRunsAndServesThePage(String kind) throws Exception {
        String image;
        switch (kind) {
            case "oci" -> {
                build(EXAMPLE, "oci:" + tmp.resolve("layout") + ":e2e");
                image = "localhost/distrolix-e2e-oci:e2e";
                Fixtures.run("skopeo", "copy", "oci:" + tmp.resolve("layout") + ":e2e", "containers-storage:" + image);
            }
            case "oci-archive" -> {
                build(EXAMPLE, "oci-archive:" + tmp.resolve("nginx-oci.tar") + ":e2e");
                image = podmanLoad(tmp.resolve("nginx-oci.tar"));
            }
            case "docker-archive" -> {
                build(EXAMPLE, "docker-archive:" + tmp.resolve("nginx-docker.tar") + ":localhost/distrolix-e2e-docker:e2e");
                image = podmanLoad(tmp.resolve("nginx-docker.tar"));
                assertThat(image).isEqualTo("localhost/distrolix-e2e-docker:e2e");
            }
            default -> {
                build(EXAMPLE, "podman:localhost/distrolix-e2e-podman:e2e");
                image = "localhost/distrolix-e2e-podman:e2e";
            }
        }
        String name = "distrolix-e2e-" + kind;
        int port = Podman.freePort();
        try {
            Podman.runNginx(name, image, port);
            HttpResponse<String> page = Podman.getWhenUp("http://127.0.0.1:" + port + "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Hello from a distroless nginx");
            // the master runs as root (the spec sets no user), the worker as nginx (31337)
            String top = podman("top", name, "huser", "user", "args");
            assertThat(top).containsPattern("(?m)^31337\\s+nginx\\s+nginx: worker process");
            assertThat(top).containsPattern("(?m)^root\\s+root\\s+nginx: master process");
            String logs = podman("logs", name);
            assertThat(logs).doesNotContain("[emerg]", "[alert]", "[crit]", "[error]");
        } finally {
            Podman.removeQuietly(name);
        }
    }

    @Test
    void ociLayoutIsAcceptedBySkopeoAndUmociAndHoldsExactlyTheClosureAndTheDeclaredFiles() throws IOException {
        Path layout = tmp.resolve("layout");
        build(EXAMPLE, "oci:" + layout + ":check");
        String inspect = Fixtures.run("skopeo", "inspect", "oci:" + layout + ":check");
        assertThat(inspect).contains("\"Architecture\": \"amd64\"", "\"Os\": \"linux\"");
        Fixtures.run("skopeo", "copy", "oci:" + layout + ":check", "dir:" + tmp.resolve("copied")); // re-hashes every blob
        Path bundle = tmp.resolve("bundle");
        Fixtures.run("umoci", "unpack", "--image", layout + ":check", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");

        Set<String> expected = new TreeSet<>(List.of("nix", "nix/store",
                "etc", "etc/passwd", "etc/group", "etc/nginx", "etc/nginx/nginx.conf",
                "usr", "usr/local", "usr/share", "usr/share/nginx", "usr/share/nginx/html",
                "usr/share/nginx/html/index.html", "var", "var/log", "var/log/nginx", "var/cache", "var/cache/nginx",
                "var/lib", "var/lib/nginx", "run", "tmp"));
        String nginx = Fixtures.storePath("nginx");
        try (Stream<Path> top = Files.list(Path.of(nginx))) { // the profile links each top-level entry
            top.forEach(e -> expected.add("usr/local/" + e.getFileName()));
        }
        for (String p : Fixtures.run("nix-store", "-qR", nginx).strip().split("\n")) {
            Path store = Path.of(p);
            try (Stream<Path> s = Files.walk(store)) {
                s.forEach(f -> expected.add(f.toString().substring(1)));
            }
        }
        Set<String> actual = new TreeSet<>();
        try (Stream<Path> s = Files.walk(rootfs)) {
            s.filter(f -> !f.equals(rootfs)).forEach(f -> actual.add(rootfs.relativize(f).toString()));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actual).noneMatch(f -> f.matches(".*/(sh|bash|busybox|dash|ash)$"));
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("nginx:x:31337:31337:");
        assertThat(Files.readString(rootfs.resolve("etc/group"))).contains("nginx:x:31337:");
        assertThat(Files.readSymbolicLink(rootfs.resolve("usr/local/bin"))).hasToString(nginx + "/bin");
        assertThat(Files.readString(rootfs.resolve("etc/nginx/nginx.conf")))
                .contains("listen 80;", "include " + nginx + "/etc/nginx/mime.types;");
        assertThat(Files.getOwner(rootfs.resolve("var/log/nginx")).getName()).isIn("31337", "nginx");
        assertThat(Files.getAttribute(rootfs.resolve("tmp"), "unix:mode")).isEqualTo(01777 | 0040000);
    }

    @Test
    void archivesAreAcceptedBySkopeo() {
        Path docker = tmp.resolve("d.tar");
        build(EXAMPLE, "docker-archive:" + docker + ":localhost/distrolix-e2e:skopeo");
        assertThat(Fixtures.run("skopeo", "inspect", "docker-archive:" + docker)).contains("\"Architecture\": \"amd64\"");
        Path oci = tmp.resolve("o.tar");
        build(EXAMPLE, "oci-archive:" + oci + ":skopeo");
        assertThat(Fixtures.run("skopeo", "inspect", "oci-archive:" + oci + ":skopeo")).contains("\"Os\": \"linux\"");
    }

    @Test
    void theContentsStyleExampleLinksIntoTheRootAndServes() throws Exception {
        Path spec = Fixtures.repo().resolve("examples/nginx/image-contents.yaml");
        build(spec, "podman:localhost/distrolix-e2e-contents:e2e");
        String name = "distrolix-e2e-contents";
        int port = Podman.freePort();
        try {
            Podman.runNginx(name, "localhost/distrolix-e2e-contents:e2e", port);
            assertThat(Podman.getWhenUp("http://127.0.0.1:" + port + "/").body()).contains("Hello from a distroless nginx");
        } finally {
            Podman.removeQuietly(name);
        }
    }
}
