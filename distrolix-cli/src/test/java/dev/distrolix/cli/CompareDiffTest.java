package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.inspect.Detectors;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare over our nginx, a debootstrap Debian and a busybox image; diff between builds. */
@IntegrationTest
class CompareDiffTest {
    @TempDir
    Path tmp;

    /** One line of GNU `tar --numeric-owner -tv`: mode, uid/gid, size, path, link target. */
    record TarLine(String mode, String owner, String size, String path, String link) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        String parentName() {
            String parent = path.substring(0, Math.max(0, path.lastIndexOf('/')));
            return parent.substring(parent.lastIndexOf('/') + 1);
        }
    }

    static List<TarLine> tarListing(Path tar) {
        return tarListingWithOwners(tar);
    }

    static List<TarLine> tarListingWithOwners(Path tar) {
        List<TarLine> out = new ArrayList<>();
        for (String line : Fixtures.run("tar", "--numeric-owner", "-tvf", tar.toString()).lines().toList()) {
            String[] f = line.split(" +", 6);
            String rest = f[5];
            String link = null;
            int arrow = rest.indexOf(" -> ");
            int hard = rest.indexOf(" link to ");
            if (arrow >= 0) {
                link = rest.substring(arrow + 4);
                rest = rest.substring(0, arrow);
            } else if (hard >= 0) {
                String target = rest.substring(hard + 9);
                link = "/" + (target.startsWith("./") ? target.substring(2) : target);
                rest = rest.substring(0, hard);
            }
            String path = rest.startsWith("./") ? rest.substring(1) : "/" + rest;
            if (!path.equals("/")) {
                out.add(new TarLine(f[0], f[1], f[2], path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
                        link));
            }
        }
        return out;
    }

    static boolean program(TarLine l) {
        boolean bin = l.parentName().equals("bin") || l.parentName().equals("sbin");
        char t = l.mode().charAt(0);
        boolean exec = t == '-' && (l.mode().charAt(3) != '-' || l.mode().charAt(6) != '-' || l.mode().charAt(9) != '-');
        return bin && (exec || t == 'l' || t == 'h');
    }

    @Test
    void compareCountsShellsPackageManagersAndSetuidFilesOfEachImage() throws IOException {
        String nginx = InspectFixtures.nginx();
        String debian = InspectFixtures.debian();
        String busybox = InspectFixtures.busybox();
        Cli r = Cli.run("compare", nginx, debian, busybox, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = InspectCommandTest.JSON.readTree(r.out());
        assertThat(rows).hasSize(3);

        // nginx: nothing to worry about; its files are the closure's plus 8 declared ones
        JsonNode n = rows.get(0);
        long closureFiles = InspectCommandTest.hostFiles(InspectCommandTest.closure("nginx")).values().stream()
                .filter(k -> !k.equals("d")).count();
        assertThat(n.get("files").asLong()).isEqualTo(closureFiles + 8);
        assertThat(n.get("storePaths").asInt()).isEqualTo(6);
        assertThat(n.get("shells")).isEmpty();
        assertThat(n.get("packageManagers")).isEmpty();
        assertThat(n.get("setuid")).isEmpty();
        assertThat(n.get("runsAs").asText()).isEqualTo("root");
        assertThat(n.get("layers").asInt()).isEqualTo(7);

        // Debian: what GNU tar lists in the debootstrap tarball
        List<TarLine> deb = tarListing(InspectFixtures.DEBIAN_CACHE);
        JsonNode d = rows.get(1);
        assertThat(d.get("name").asText()).isEqualTo("localhost/distrolix-test-debian");
        assertThat(d.get("tag").asText()).isEqualTo("minbase");
        assertThat(d.get("layers").asInt()).isEqualTo(1);
        assertThat(d.get("storePaths").asInt()).isZero();
        assertThat(d.get("files").asLong()).isEqualTo(deb.stream().filter(l -> l.mode().charAt(0) != 'd').count());
        List<String> shells = deb.stream().filter(l -> program(l) && Detectors.SHELLS.contains(l.name()))
                .map(TarLine::path).sorted().toList();
        List<String> pms = deb.stream().filter(l -> program(l) && Detectors.PACKAGE_MANAGERS.contains(l.name()))
                .map(TarLine::path).sorted().toList();
        List<String> setuid = deb.stream().filter(l -> l.mode().charAt(0) == '-'
                && "sS".indexOf(l.mode().charAt(3)) + "sS".indexOf(l.mode().charAt(6)) > -2).map(TarLine::path).sorted().toList();
        assertThat(shells).contains("/usr/bin/bash", "/usr/bin/dash", "/usr/bin/sh");
        assertThat(pms).contains("/usr/bin/apt", "/usr/bin/apt-get", "/usr/bin/dpkg");
        assertThat(setuid).contains("/usr/bin/su", "/usr/bin/passwd", "/usr/bin/mount");
        // by name, and by content: links, hard links and copies of a shell under other names (rbash -> bash)
        assertThat(strings(d.get("shells"))).containsAll(shells).contains("/usr/bin/rbash");
        assertThat(strings(d.get("packageManagers"))).containsAll(pms);
        assertThat(strings(d.get("setuid"))).isEqualTo(setuid);

        // busybox: the shells are busybox itself and its shell applets, in /nix/store/…/bin
        String bb = Fixtures.storePath("busybox");
        TreeSet<String> applets = new TreeSet<>();
        try (var s = Files.list(Path.of(bb, "bin"))) {
            s.map(p -> p.getFileName().toString()).filter(Detectors.SHELLS::contains).forEach(a -> applets.add(bb + "/bin/" + a));
        }
        JsonNode b = rows.get(2);
        assertThat(applets).contains(bb + "/bin/busybox", bb + "/bin/sh", bb + "/bin/ash");
        assertThat(strings(b.get("shells"))).containsExactlyElementsOf(applets);
        assertThat(b.get("storePaths").asInt()).isEqualTo(InspectCommandTest.closure("busybox").size());
        assertThat(b.get("setuid")).isEmpty();
        assertThat(strings(b.get("packageManagers"))).containsExactly(bb + "/bin/rpm"); // busybox has an rpm applet

        // the human table carries the same counts
        Cli table = Cli.run("compare", nginx, debian, busybox);
        assertThat(table.exitCode()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("IMAGE +TAG +SIZE +COMPRESSED +LAYERS +FILES +STORE PATHS +SHELLS +PACKAGE MANAGERS +SETUID +RUNS AS");
        assertThat(lines.get(2)).matches("localhost/distrolix-test-debian +minbase +[\\d.]+ MB +[\\d.]+ MB +1 +"
                + d.get("files").asLong() + " +0 +" + (shells.size() + 1) + " \\(bash dash rbash sh\\) +" + pms.size()
                + " \\(apt apt-get dpkg\\) +" + setuid.size() + " +root");
        assertThat(lines.get(1)).matches(".* 7 +" + n.get("files").asLong() + " +6 +0 +0 +0 +root");
        assertThat(table.out()).contains("  setuid/setgid:    /usr/bin/chage");
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void diffNamesTheZlibVersionTheRebuiltNginxAndTheChangedPage() throws IOException {
        Path spec = tmp.resolve("nginx-zlib2");
        Fixtures.run("cp", "-r", NginxImageTest.EXAMPLE.getParent().toString(), spec.toString());
        Path yaml = spec.resolve("image.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("packages:\n  - nginx\n",
                "packages:\n  - { attr: nginxWithZlib2, name: nginx }\n"));
        Files.writeString(spec.resolve("index.html"), Files.readString(spec.resolve("index.html")) + "<p>v2</p>\n");
        InspectFixtures.build(yaml, "oci:" + tmp.resolve("v2"));
        String a = InspectFixtures.nginx();
        String b = "oci:" + tmp.resolve("v2");

        Cli r = Cli.run("diff", a, b, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode d = InspectCommandTest.JSON.readTree(r.out());
        assertThat(d.get("identical").asBoolean()).isFalse();
        assertThat(d.get("storePaths")).hasSize(2);
        JsonNode nginx = d.get("storePaths").get(0);
        assertThat(nginx.get("change").asText()).isEqualTo("rebuilt");
        assertThat(nginx.get("before").asText()).isEqualTo(Fixtures.storePath("nginx"));
        assertThat(nginx.get("after").asText()).isEqualTo(Fixtures.storePath("nginxWithZlib2"));
        JsonNode zlib = d.get("storePaths").get(1);
        assertThat(zlib.get("change").asText()).isEqualTo("version_changed");
        assertThat(zlib.get("versionBefore").asText()).isEqualTo("1.2.13");
        assertThat(zlib.get("versionAfter").asText()).isEqualTo("1.2.13.1");
        assertThat(d.get("files")).singleElement().satisfies(f -> {
            assertThat(f.get("path").asText()).isEqualTo("/usr/share/nginx/html/index.html");
            assertThat(strings(f.get("what"))).containsExactly("size", "content");
        });
        List<String> follow = new ArrayList<>();
        d.get("followStorePaths").forEach(f -> follow.add(f.get("path").asText()));
        assertThat(follow).containsExactly("/etc/nginx/nginx.conf", "/usr/local/bin", "/usr/local/etc",
                "/usr/local/sbin", "/usr/local/share");
        assertThat(d.get("config")).isEmpty();

        Cli human = Cli.run("diff", a, b);
        assertThat(human.out()).contains("  zlib 1.2.13 → 1.2.13.1\n")
                .contains("  ~ /usr/share/nginx/html/index.html  (size ")
                .containsPattern("(?m)^  nginx 1\\.22\\.1 rebuilt \\(\\w{8} → \\w{8}\\)$");
        assertThat(human.out().strip().lines().reduce((x, y) -> y).orElseThrow()).matches(
                "different: nginx 1\\.22\\.1 rebuilt \\(\\w{8} → \\w{8}\\); zlib 1\\.2\\.13 → 1\\.2\\.13\\.1; "
                        + "~/usr/share/nginx/html/index\\.html");
    }

    @Test
    void twoBuildsOfTheSameSpecAreIdentical() throws IOException {
        InspectFixtures.build(NginxImageTest.EXAMPLE, "oci:" + tmp.resolve("again"));
        Cli r = Cli.run("diff", InspectFixtures.nginx(), "oci:" + tmp.resolve("again"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).matches("identical: same manifest digest sha256:[0-9a-f]{64}\n");
        // our docker-archives carry the OCI manifest too: the same manifest digest
        Cli dockerArchive = Cli.run("diff", InspectFixtures.nginx(), InspectFixtures.nginxIn("docker-archive"), "--json");
        JsonNode j = InspectCommandTest.JSON.readTree(dockerArchive.out());
        assertThat(j.get("identical").asBoolean()).isTrue();
        assertThat(j.get("verdict").asText()).startsWith("identical: same manifest digest");
        assertThat(j.get("files")).isEmpty();
        assertThat(j.get("storePaths")).isEmpty();
    }

    @Test
    void sameContentInOtherBytesIsToldApart() throws IOException {
        // the same spec with zstd layers: the same image (same image ID, which covers every diff_id),
        // carried by other layer bytes and so another manifest
        Cli build = Cli.run("build", NginxImageTest.EXAMPLE.toString(), "-q", "-I", NginxImageTest.INCLUDE,
                "--compression", "zstd", "-o", "oci:" + tmp.resolve("zstd2"));
        assertThat(build.exitCode()).as(build.err()).isZero();
        Cli r = Cli.run("diff", InspectFixtures.nginx(), "oci:" + tmp.resolve("zstd2"));
        assertThat(r.out()).matches("identical: same image ID \\(config digest, which covers every layer's diff_id\\) "
                + "sha256:[0-9a-f]{64}; the manifests differ \\(layer compression or annotations\\)\n");
        // other layering: the same files in other layers, so other diff_ids and another image ID
        Cli single = Cli.run("build", NginxImageTest.EXAMPLE.toString(), "-q", "-I", NginxImageTest.INCLUDE,
                "--layering", "single", "-o", "oci:" + tmp.resolve("single"));
        assertThat(single.exitCode()).as(single.err()).isZero();
        Cli other = Cli.run("diff", InspectFixtures.nginx(), "oci:" + tmp.resolve("single"));
        assertThat(other.out()).isEqualTo("same files, store paths and config, different bytes "
                + "(layering, compression, history or timestamps)\n");
    }
}
