package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.blob.Digest;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The nginx image through every transport into every other: 6 sources × 6 destinations, each
 * copied with {@code distrolix copy}, then read back with {@code inspect --json}, compared with
 * {@code diff}, and checked with skopeo. The config digest and diff_ids survive every copy; the
 * manifest digest survives wherever both ends keep manifests (podman's export converts, and a
 * Docker API's {@code save} writes a manifest.json-only archive).
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind {
        OCI, OCI_ARCHIVE, DOCKER_ARCHIVE, REGISTRY, PODMAN, DOCKER;

        /** Whether an image read from here carries the manifest bytes it was written with. */
        boolean keepsManifest() {
            return this == OCI || this == OCI_ARCHIVE || this == DOCKER_ARCHIVE || this == REGISTRY;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private Path tmp;
    private RegistryServer registry;
    private final Map<Kind, String> sources = new EnumMap<>(Kind.class);
    private final List<String> engineImages = new ArrayList<>();
    private JsonNode original;

    @BeforeAll
    void sources() throws Exception {
        tmp = Files.createTempDirectory("distrolix-matrix-");
        registry = RegistryServer.in(tmp.resolve("registry")).start();
        DockerDaemon.ensure();
        original = inspect(NginxLayout.reference());
        for (Kind k : Kind.values()) {
            String src = write(k, "src");
            copy(NginxLayout.reference(), src);
            sources.put(k, readRef(k, "src"));
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        for (String image : engineImages) {
            Fixtures.exec(new ProcessBuilder(image.startsWith("docker:") ? "docker" : "podman", "rmi", "-f",
                    image.substring(image.indexOf(':') + 1)));
        }
        if (registry != null) {
            registry.close();
        }
        if (tmp != null) {
            dev.distrolix.FileTrees.deleteTree(tmp);
        }
    }

    Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Kind s : Kind.values()) {
            for (Kind d : Kind.values()) {
                out.add(Arguments.of(s, d));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void copyKeepsTheImage(Kind s, Kind d) throws Exception {
        String id = s.id() + "-to-" + d.id();
        copy(sources.get(s), write(d, id));
        String dst = readRef(d, id);
        JsonNode got = inspect(dst);

        assertThat(got.get("configDigest")).as("config digest of %s", dst).isEqualTo(original.get("configDigest"));
        assertThat(diffIds(got)).as("diff_ids of %s", dst).isEqualTo(diffIds(original));
        if (d == Kind.DOCKER) {
            assertThat(got.get("manifestDigest").isNull()).as("a manifest.json-only archive has no manifest").isTrue();
        } else if (s.keepsManifest()) {
            assertThat(got.get("manifestDigest")).as("manifest digest of %s", dst)
                    .isEqualTo(original.get("manifestDigest"));
        }

        Cli diff = Cli.run("diff", sources.get(s), dst);
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).as("diff %s %s", sources.get(s), dst).startsWith("identical");

        String skopeo = skopeoRef(d, id);
        assertThat(sha256(skopeoRaw(skopeo, "--config"))).as("skopeo's config of %s", skopeo)
                .isEqualTo(got.get("configDigest").asText());
        byte[] manifest = skopeoRaw(skopeo);
        assertThat(JSON.readTree(manifest).get("config").get("digest")).as("skopeo's manifest of %s", skopeo)
                .isEqualTo(original.get("configDigest"));
        if (d != Kind.DOCKER && d != Kind.DOCKER_ARCHIVE && d != Kind.PODMAN) {
            // skopeo reads docker-archives through manifest.json and makes up a manifest, and podman keeps
            // one image per image ID (a second load of the same config only adds a name, while skopeo
            // shows the manifest loaded last); elsewhere skopeo reads the stored manifest, whose
            // digest must be the one distrolix reports
            assertThat(sha256(manifest)).as("skopeo's manifest of %s", skopeo)
                    .isEqualTo(got.get("manifestDigest").asText());
        }
        if (d == Kind.PODMAN) {
            assertThat(got.get("manifestDigest").asText()).as("the digest podman shows for %s", dst)
                    .isEqualTo(Podman.podman("image", "inspect", "--format", "{{.Digest}}", dst.substring(7)));
        }
    }

    /** The reference to write an image of this kind under. */
    private String write(Kind k, String id) {
        return switch (k) {
            case OCI -> "oci:" + tmp.resolve(id) + ":1";
            case OCI_ARCHIVE -> "oci-archive:" + tmp.resolve(id + ".tar") + ":1";
            case DOCKER_ARCHIVE -> "docker-archive:" + tmp.resolve(id + "-d.tar") + ":localhost/mx-" + id + ":1";
            case REGISTRY -> "docker://" + registry.address() + "/mx-" + id + ":1";
            case PODMAN -> engine("podman:localhost/mx-" + id + ":1");
            case DOCKER -> engine("docker:localhost/mx-" + id + "-d:1");
        };
    }

    /** The reference to read it back. */
    private String readRef(Kind k, String id) {
        return k == Kind.DOCKER_ARCHIVE ? "docker-archive:" + tmp.resolve(id + "-d.tar") : write(k, id);
    }

    private String skopeoRef(Kind k, String id) {
        return switch (k) {
            case OCI -> "oci:" + tmp.resolve(id) + ":1";
            case OCI_ARCHIVE -> "oci-archive:" + tmp.resolve(id + ".tar") + ":1";
            case DOCKER_ARCHIVE -> "docker-archive:" + tmp.resolve(id + "-d.tar");
            case REGISTRY -> "docker://" + registry.address() + "/mx-" + id + ":1";
            case PODMAN -> "containers-storage:localhost/mx-" + id + ":1";
            case DOCKER -> "docker-daemon:localhost/mx-" + id + "-d:1";
        };
    }

    private String engine(String ref) {
        if (!engineImages.contains(ref)) {
            engineImages.add(ref);
        }
        return ref;
    }

    private static void copy(String src, String dst) {
        Cli r = Cli.run("copy", src, dst, "-q");
        assertThat(r.exitCode()).as("copy %s %s: %s", src, dst, r.err()).isZero();
    }

    private static JsonNode inspect(String ref) throws IOException {
        Cli r = Cli.run("inspect", ref, "--json");
        assertThat(r.exitCode()).as("inspect %s: %s", ref, r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static List<String> diffIds(JsonNode inspected) {
        List<String> ids = new ArrayList<>();
        inspected.get("layers").forEach(l -> ids.add(l.get("diffId").asText()));
        return ids;
    }

    private byte[] skopeoRaw(String ref, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        cmd.addAll(List.of(extra));
        if (ref.startsWith("docker://")) {
            cmd.add("--tls-verify=false");
        }
        cmd.add(ref);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
        return out;
    }

    private static String sha256(byte[] bytes) {
        return Digest.sha256(bytes).toString();
    }
}
