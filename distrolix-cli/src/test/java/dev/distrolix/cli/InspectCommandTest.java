package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `distrolix inspect` on the nginx example, in every form an image can be read from. */
@IntegrationTest
class InspectCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String... args) throws IOException {
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    static List<String> closure(String fixture) {
        return Fixtures.run("nix-store", "-qR", Fixtures.storePath(fixture)).lines().toList();
    }

    /** Every path of the closure, as the host's store has it: path → {type letter, size}. */
    static Map<String, String> hostFiles(List<String> storePaths) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String sp : storePaths) {
            try (Stream<Path> s = Files.walk(Path.of(sp))) {
                for (Path p : s.toList()) {
                    String kind = Files.isSymbolicLink(p) ? "l " + Files.readSymbolicLink(p)
                            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d"
                            : "- " + Files.size(p) + (Files.isExecutable(p) ? " x" : "");
                    out.put(p.toString(), kind);
                }
            }
        }
        return out;
    }

    static Map<String, String> imageFiles(JsonNode tree) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode f : tree) {
            String type = f.get("type").asText();
            String kind = type.equals("symlink") ? "l " + f.get("linkTarget").asText()
                    : type.equals("directory") ? "d"
                    : "- " + f.get("size").asLong() + ((Integer.parseInt(f.get("mode").asText(), 8) & 0100) != 0 ? " x" : "");
            out.put(f.get("path").asText(), kind);
        }
        return out;
    }

    @Test
    void treeOfNginxIsTheDeclaredFilesPlusTheClosure() throws IOException {
        JsonNode img = json("inspect", InspectFixtures.nginx(), "--tree", "--json");
        Map<String, String> image = imageFiles(img.get("tree"));
        String nginx = Fixtures.storePath("nginx");

        Map<String, String> expected = new TreeMap<>(hostFiles(closure("nginx")));
        expected.put("/nix", "d");
        expected.put("/nix/store", "d");
        // declared in examples/nginx/image.yaml: paths, accounts, profile links — and their parents
        for (String d : List.of("/etc", "/etc/nginx", "/usr", "/usr/share", "/usr/share/nginx", "/usr/share/nginx/html",
                "/var", "/var/log", "/var/log/nginx", "/var/cache", "/var/cache/nginx", "/var/lib", "/var/lib/nginx",
                "/run", "/tmp", "/usr/local")) {
            expected.put(d, "d");
        }
        expected.put("/etc/nginx/nginx.conf", image.get("/etc/nginx/nginx.conf")); // generated: size checked below
        expected.put("/usr/share/nginx/html/index.html",
                "- " + Files.size(Fixtures.repo().resolve("examples/nginx/index.html")));
        expected.put("/etc/passwd", image.get("/etc/passwd"));
        expected.put("/etc/group", image.get("/etc/group"));
        try (Stream<Path> top = Files.list(Path.of(nginx))) {
            top.forEach(p -> expected.put("/usr/local/" + p.getFileName(), "l " + p));
        }
        assertThat(image).containsExactlyEntriesOf(expected);

        Map<String, JsonNode> byPath = new HashMap<>();
        img.get("tree").forEach(f -> byPath.put(f.get("path").asText(), f));
        assertThat(byPath.get("/var/log/nginx").get("uid").asLong()).isEqualTo(31337);
        assertThat(byPath.get("/tmp").get("mode").asText()).isEqualTo("1777");
        assertThat(byPath.get("/etc/nginx/nginx.conf").get("size").asLong()).isGreaterThan(100);

        // the human tree is `tar -tv` without the date
        Cli human = Cli.run("inspect", InspectFixtures.nginx(), "--tree");
        assertThat(human.out()).containsPattern("(?m)^-rw-r--r-- 0/0 +" + expected.get("/usr/share/nginx/html/index.html")
                .substring(2) + " /usr/share/nginx/html/index\\.html$");
        assertThat(human.out()).contains("lrwxrwxrwx 0/0          0 /usr/local/bin -> " + nginx + "/bin\n");
        assertThat(human.out()).contains("drwxrwxrwt 0/0          0 /tmp\n");
        assertThat(human.out().lines().count()).isEqualTo(image.size());
    }

    /**
     * An image podman built on the debootstrap Debian, with real whiteouts (.wh.NAME) and an
     * opaque directory: our tree must be exactly what `podman export | tar -tv` lists.
     */
    @Test
    void treeOfAPodmanBuiltImageWithWhiteoutsIsWhatPodmanExportHolds(@TempDir Path tmp) throws IOException {
        String base = InspectFixtures.debian().substring("podman:".length());
        Files.writeString(tmp.resolve("Containerfile"), "FROM " + base + "\n"
                + "RUN rm -rf /usr/share/doc/* /etc/cron.daily && rm /usr/bin/su && mkdir -p /opt/a && echo hi > /opt/a/f\n"
                + "RUN rm -rf /opt/a && mkdir /opt/a && echo new > /opt/a/g && chmod 4755 /opt/a/g\n");
        String image = "localhost/distrolix-inspect-whiteouts:test";
        Podman.podman("build", "-q", "-t", image, tmp.toString());
        String container = Podman.podman("create", image, "true");
        Path export = tmp.resolve("export.tar");
        try {
            Podman.podman("export", "-o", export.toString(), container);
        } finally {
            Podman.removeQuietly(container);
        }
        List<String> theirs = new java.util.ArrayList<>();
        for (CompareDiffTest.TarLine l : CompareDiffTest.tarListingWithOwners(export)) {
            theirs.add(l.mode() + " " + l.owner() + " " + (l.mode().charAt(0) == 'c' || l.mode().charAt(0) == 'b' ? "0" : l.size())
                    + " " + l.path() + (l.link() == null ? "" : (l.mode().charAt(0) == 'h' ? " link to " : " -> ") + l.link()));
        }
        Cli r = Cli.run("inspect", "podman:" + image, "--tree");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> ours = withHardLinksResolved(r.out().lines().map(l -> l.replaceAll(" +", " ")).toList());
        assertThat(ours).containsExactlyElementsOf(withHardLinksResolved(theirs));
        assertThat(ours).contains("-rwsr-xr-x 0/0 4 /opt/a/g").noneMatch(l -> l.contains("/opt/a/f")
                || l.contains("/usr/share/doc/") || l.contains("/etc/cron.daily") || l.endsWith(" /usr/bin/su"));
    }

    /**
     * Which of two hard-linked names a tar stores as the file is the producer's choice: list both
     * as the file they share ("mode owner size path"), sorted.
     */
    static List<String> withHardLinksResolved(List<String> lines) {
        Map<String, String> files = new HashMap<>();
        for (String l : lines) {
            String[] f = l.split(" ", 4);
            if (l.startsWith("-")) {
                files.put(f[3], f[0] + " " + f[1] + " " + f[2]);
            }
        }
        return lines.stream().map(l -> {
            if (!l.startsWith("h")) {
                return l;
            }
            String[] f = l.split(" ", 4);
            String[] pathAndTarget = f[3].split(" link to ", 2);
            return files.get(pathAndTarget[1]) + " " + pathAndTarget[0];
        }).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci-archive", "docker-archive", "podman", "podman-save-docker-archive"})
    void everyTransportReadsTheSameImage(String kind) throws IOException {
        JsonNode layout = json("inspect", InspectFixtures.nginx(), "--tree", "--json");
        JsonNode other = json("inspect", InspectFixtures.nginxIn(kind), "--tree", "--json");
        assertThat(other.get("configDigest")).isEqualTo(layout.get("configDigest"));
        assertThat(other.get("tree")).isEqualTo(layout.get("tree"));
        assertThat(other.get("packages")).isEqualTo(layout.get("packages"));
        assertThat(other.get("uncompressedSize")).isEqualTo(layout.get("uncompressedSize"));
        // a docker-archive has no manifest; podman loaded one and writes its own on save
        if (kind.equals("oci-archive")) {
            assertThat(other.get("manifestDigest")).isEqualTo(layout.get("manifestDigest"));
        }
    }

    @Test
    void summaryShowsDigestConfigAndLayersWithTheirStorePaths() throws IOException {
        JsonNode j = json("inspect", InspectFixtures.nginx(), "--json");
        JsonNode manifest = OciLayouts.manifest(Path.of(InspectFixtures.nginx().substring(4, InspectFixtures.nginx().length() - 5)));
        assertThat(j.get("layers")).hasSize(manifest.get("layers").size());
        for (int i = 0; i < manifest.get("layers").size(); i++) {
            JsonNode l = j.get("layers").get(i);
            assertThat(l.get("digest")).isEqualTo(manifest.get("layers").get(i).get("digest"));
            assertThat(l.get("size")).isEqualTo(manifest.get("layers").get(i).get("size"));
            assertThat(l.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        }
        Set<String> layerPaths = new TreeSet<>();
        j.get("layers").forEach(l -> l.get("storePaths").forEach(p -> layerPaths.add(p.asText())));
        assertThat(layerPaths).containsExactlyInAnyOrderElementsOf(closure("nginx"));
        assertThat(j.get("config").get("cmd").get(0).asText()).isEqualTo("/usr/local/bin/nginx");
        assertThat(j.get("config").get("exposedPorts").get(0).asText()).isEqualTo("80/tcp");
        assertThat(j.get("platform").asText()).isEqualTo("linux/amd64");

        Cli human = Cli.run("inspect", InspectFixtures.nginx());
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("Digest        " + j.get("manifestDigest").asText())
                .contains("Cmd         /usr/local/bin/nginx")
                .containsPattern("(?m)^6 +sha256:\\w{12} +vnd\\.oci\\.image\\.layer\\.v1\\.tar\\+gzip .* nginx-1\\.22\\.1$");
    }

    @Test
    void packagesListEveryStorePathWithNameVersionSizeShareAndLayer() throws IOException {
        JsonNode j = json("inspect", InspectFixtures.nginx(), "--json");
        Map<String, String> versions = new TreeMap<>();
        long sum = 0;
        for (JsonNode p : j.get("packages")) {
            versions.put(p.get("name").asText(), p.get("version").asText());
            sum += p.get("size").asLong();
            long hostBytes = 0;
            try (Stream<Path> s = Files.walk(Path.of(p.get("path").asText()))) {
                for (Path f : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    hostBytes += Files.size(f);
                }
            }
            assertThat(p.get("size").asLong()).as(p.get("path").asText()).isEqualTo(hostBytes);
        }
        assertThat(versions).containsExactlyInAnyOrderEntriesOf(Map.of("glibc", "2.36", "zlib", "1.2.13",
                "nginx", "1.22.1", "openssl", "3.0.22", "pcre2", "10.42", "libxcrypt", "4.4.33"));
        Cli human = Cli.run("inspect", InspectFixtures.nginx(), "--packages");
        assertThat(human.out()).containsPattern("(?m)^zlib +1\\.2\\.13 +126\\.0 kB +0\\.6% +\\d +/nix/store/\\w{32}-zlib-1\\.2\\.13$");
        assertThat(human.out()).startsWith("NAME ").contains("6 store paths, ");
        assertThat(sum).isLessThanOrEqualTo(j.get("uncompressedSize").asLong());
    }
}
