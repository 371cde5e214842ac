package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One spec, two platforms: the nginx example as an OCI index of an amd64 and an arm64 image, each
 * from its own closure (arm64 from Debian's arm64 .debs), run by podman — arm64 under qemu.
 */
@IntegrationTest
class MultiArchTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BOTH = "linux/amd64,linux/arm64";

    @TempDir
    static Path work;
    static RegistryServer registry;
    static String layout;
    static String indexDigest;

    @BeforeAll
    static void buildBoth() throws Exception {
        registry = RegistryServer.in(work.resolve("registry")).start();
        layout = "oci:" + work.resolve("both") + ":1";
        Cli r = NginxImageTest.build(NginxImageTest.EXAMPLE, layout, "--platform", BOTH, "--json");
        indexDigest = JSON.readTree(r.out()).get("manifestDigest").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    void anIndexOfTwoImagesEachWithItsOwnMachinesBinaries() throws Exception {
        JsonNode index = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", layout));
        assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.get("manifests")).hasSize(2);
        assertThat(index.get("manifests")).extracting(m -> m.at("/platform/architecture").asText())
                .containsExactly("amd64", "arm64");
        assertThat(elfMachineOfNginx("linux/amd64")).isEqualTo(0x3e); // x86-64
        assertThat(elfMachineOfNginx("linux/arm64")).isEqualTo(0xb7); // aarch64
        // each image's config says its own platform (podman reports the config's)
        try (OpenedImage o = Transports.open(layout, RegistrySettings.defaults())) {
            assertThat(o.image(PlatformChoice.parse("linux/arm64")).config().platform().variant()).isEqualTo("v8");
            assertThat(o.image(PlatformChoice.parse("linux/amd64")).config().platform().architecture()).isEqualTo("amd64");
        }
    }

    @Test
    void podmanRunsEachPlatformAndBothServeThePage() throws Exception {
        for (String arch : List.of("amd64", "arm64")) {
            String image = "localhost/distrolix-multiarch:" + arch;
            Fixtures.run("skopeo", "copy", "--override-arch", arch, layout, "containers-storage:" + image);
            String name = "distrolix-multiarch-" + arch;
            int port = Podman.freePort();
            try {
                podman("rm", "-f", "--ignore", name);
                podman("run", "-d", "--arch", arch, "--name", name, "-p", "127.0.0.1:" + port + ":80", image);
                HttpResponse<String> page = Podman.getWhenUp("http://127.0.0.1:" + port + "/");
                assertThat(page.statusCode()).as(arch).isEqualTo(200);
                assertThat(page.body()).contains("Hello from a distroless nginx");
                assertThat(podman("image", "inspect", "--format", "{{.Architecture}}", image).strip()).isEqualTo(arch);
                if (arch.equals("arm64")) {
                    // really emulated: the container's nginx runs as qemu-aarch64 on this x86-64 machine
                    String pid = podman("inspect", "--format", "{{.State.Pid}}", name).strip();
                    assertThat(Files.readSymbolicLink(Path.of("/proc", pid, "exe")).toString()).contains("qemu-aarch64");
                }
            } finally {
                Podman.removeQuietly(name);
                podman("rmi", "-f", image);
            }
        }
    }

    @Test
    void pushedAsAnIndexCopiedWholeAndPulledByArchitecture() throws Exception {
        String ref = registry.address() + "/web:1";
        Cli pushed = NginxImageTest.build(NginxImageTest.EXAMPLE, "docker://" + ref, "--platform", BOTH, "-q");
        assertThat(pushed.out().strip()).isEqualTo(indexDigest);
        JsonNode raw = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref));
        assertThat(raw.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(raw.get("manifests")).hasSize(2);
        Path copy = work.resolve("copied");
        Fixtures.run("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + ref, "oci:" + copy + ":1");
        assertThat(JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "oci:" + copy + ":1"))).isEqualTo(raw);
        try {
            podman("pull", "-q", "--tls-verify=false", "--arch", "arm64", ref);
            assertThat(podman("image", "inspect", "--format", "{{.Architecture}}", ref).strip()).isEqualTo("arm64");
        } finally {
            podman("rmi", "-f", ref);
        }
    }

    @Test
    void theDeclaredFilesLayerIsSharedAndStoredOnce() throws Exception {
        List<Set<String>> layers = new ArrayList<>();
        try (OpenedImage o = Transports.open(layout, RegistrySettings.defaults())) {
            for (String p : List.of("linux/amd64", "linux/arm64")) {
                Set<String> digests = new HashSet<>();
                o.image(PlatformChoice.parse(p)).layers().forEach(l -> digests.add(l.digest().toString()));
                layers.add(digests);
            }
        }
        Set<String> shared = new HashSet<>(layers.get(0));
        shared.retainAll(layers.get(1));
        assertThat(shared).as("layers in both images").hasSize(1);
        JsonNode history = JSON.readTree(Fixtures.run("skopeo", "inspect", "--config", "--override-arch", "arm64", layout))
                .get("history");
        assertThat(history.get(history.size() - 2).get("created_by").asText())
                .isEqualTo("distrolix: declared files (every platform)");
        // one blob on disk for it: the layout's blob count is the sum of distinct blobs
        Set<String> distinct = new HashSet<>();
        layers.forEach(distinct::addAll);
        try (Stream<Path> blobs = Files.list(work.resolve("both/blobs/sha256"))) {
            assertThat(blobs.count()).isEqualTo(distinct.size() + 2 /* configs */ + 2 /* manifests */ + 1 /* index */);
        }
    }

    @Test
    void theIndexIsReproducibleAndIndependentOfThePlatformOrder() throws Exception {
        Cli again = NginxImageTest.build(NginxImageTest.EXAMPLE, "oci:" + work.resolve("again") + ":1",
                "--platform", "linux/arm64,linux/amd64", "--no-cache", "-q");
        assertThat(again.out().strip()).isEqualTo(indexDigest);
    }

    @Test
    void auditFlagsAnAmd64ImageHoldingArm64Binaries() throws Exception {
        // the arm64 nginx's bin/ added to the store as a plain folder: a store path with no derivation to say
        // what it was built for, so without system: the image is labelled with Nix's own system (amd64)
        Path arm64Bin = Fixtures.repo().resolve("testing/result/nginx-arm64/bin").toRealPath();
        String added = Fixtures.run("nix-store", "--add", arm64Bin.toString()).strip();
        Path spec = work.resolve("mislabelled.yaml");
        Files.writeString(spec, "name: mislabelled\npackages:\n  - " + added + "\nconfig:\n  entrypoint: [\""
                + added + "/nginx\"]\n");
        Cli built = Cli.run("build", spec.toString(), "-o", "oci:" + work.resolve("mislabelled") + ":1");
        assertThat(built.exitCode()).as(built.err()).isZero();
        Cli audit = Cli.run("audit", "oci:" + work.resolve("mislabelled") + ":1");
        assertThat(audit.exitCode()).as(audit.out() + audit.err()).isEqualTo(4);
        assertThat(audit.out()).contains("aarch64, but the image is linux/amd64");
        Cli correct = Cli.run("audit", "--platform", "linux/arm64", layout);
        assertThat(correct.out()).doesNotContain(", but the image is");
    }

    @Test
    void singleImageOutputsTakeOnePlatformAndSaySoAndCopyKeepsTheIndexWhenAsked() throws Exception {
        Path archive = work.resolve("one.tar");
        Cli one = NginxImageTest.build(NginxImageTest.EXAMPLE, "docker-archive:" + archive + ":nginx:1", "--platform", BOTH);
        assertThat(one.err()).contains("holds one image: writing linux/amd64 of linux/amd64, linux/arm64");
        try (OpenedImage o = Transports.open("docker-archive:" + archive, RegistrySettings.defaults())) {
            assertThat(o.image().platform().architecture()).isEqualTo("amd64");
        }
        Path whole = work.resolve("copied-whole");
        Cli copied = Cli.run("copy", "--all-platforms", layout, "oci:" + whole + ":1");
        assertThat(copied.exitCode()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("digest   " + indexDigest);
        Cli picked = Cli.run("copy", "--platform", "linux/arm64", layout, "oci:" + work.resolve("copied-arm64") + ":1");
        assertThat(JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "oci:" + work.resolve("copied-arm64") + ":1"))
                .get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(picked.exitCode()).isZero();
        Cli refused = Cli.run("copy", "--all-platforms", layout, "docker-archive:" + work.resolve("x.tar") + ":a:1");
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.errLine()).contains("holds one image: --all-platforms needs a docker://, oci: or oci-archive:");
    }

    @Test
    void anExpressionThatIgnoresSystemIsRefusedNotMislabelled() throws Exception {
        // a package set that takes no system argument: Nix builds the host's whatever the spec asks for
        Path set = work.resolve("ignores-system.nix");
        Files.writeString(set, "{ }: { hello = derivation { name = \"hello\"; system = builtins.currentSystem;"
                + " builder = \"/bin/sh\"; args = [ \"-c\" \"echo hi > $out\" ]; }; }\n");
        Path spec = work.resolve("ignores.yaml");
        Files.writeString(spec, "name: ignores\nplatforms: [linux/arm64]\npackages:\n  - ignores-system.nix#hello\n"
                + "  - nginx\n");
        Path out = work.resolve("ignores-out");
        Cli r = Cli.run("build", spec.toString(), "-I", NginxImageTest.INCLUDE, "--no-cache", "-o", "oci:" + out + ":1");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.errLine()).contains("packages: hello was built for x86_64-linux, not aarch64-linux")
                .contains("ignores system");
        assertThat(out).doesNotExist();
    }

    @Test
    void aSpecThatNamesNoSystemIsLabelledWithWhatItsPackagesWereBuiltFor() throws Exception {
        // an expression that picks its own system (as a flake's packages.aarch64-linux.… does): the image is
        // arm64, read from the derivation, not the host's amd64 that builtins.currentSystem would say
        Path file = work.resolve("arm-nginx.nix");
        Files.writeString(file, "{ }: { nginx = (import <nixpkgs> { system = \"aarch64-linux\"; }).nginx; }\n");
        Path spec = work.resolve("no-system.yaml");
        Files.writeString(spec, "name: no-system\npackages:\n  - arm-nginx.nix#nginx\n");
        Path out = work.resolve("no-system-out");
        Cli r = Cli.run("build", spec.toString(), "-I", NginxImageTest.INCLUDE, "--no-cache", "-q", "-o", "oci:" + out + ":1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (OpenedImage o = Transports.open("oci:" + out + ":1", RegistrySettings.defaults())) {
            Image img = o.image();
            assertThat(img.config().platform().architecture()).isEqualTo("arm64");
            assertThat(img.config().platform().variant()).isEqualTo("v8");
        }
        Cli audit = Cli.run("audit", "oci:" + out + ":1");
        assertThat(audit.out()).as(audit.err()).containsPattern("[1-9][0-9]* ELF files").doesNotContain(", but the image is");
    }

    /** e_machine of the nginx binary in the image for {@code platform}, read from its layers. */
    static int elfMachineOfNginx(String platform) throws Exception {
        try (OpenedImage o = Transports.open(layout, RegistrySettings.defaults())) {
            Image img = o.image(PlatformChoice.parse(platform));
            for (Layer l : img.layers()) {
                try (InputStream in = l.uncompressed(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        if (e.isFile() && e.getName().matches("(\\./)?nix/store/[^/]+-nginx-[^/]+/bin/nginx")) {
                            byte[] head = tar.readNBytes(20);
                            assertThat(head).startsWith((byte) 0x7f, (byte) 'E', (byte) 'L', (byte) 'F');
                            return (head[18] & 0xff) | (head[19] & 0xff) << 8;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no bin/nginx in the " + platform + " image");
    }
}
