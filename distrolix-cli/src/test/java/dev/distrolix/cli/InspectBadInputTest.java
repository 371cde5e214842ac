package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.TestLayouts;
import dev.distrolix.transport.TestLayouts.Tar;
import dev.distrolix.transport.TestLayouts.Zip;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad images for inspect, compare and diff: one line, exit 3 (1 for a tool failure), nothing written. */
class InspectBadInputTest {
    @TempDir
    Path tmp;

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    private static Set<String> saveTemps() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("distrolix-save-"))
                    .collect(Collectors.toSet());
        }
    }

    /** Runs inspect, compare and diff on the image and expects the same refusal from each. */
    private void assertRefused(String image, int exitCode, String messageRegex) throws IOException {
        Set<String> before = listing(tmp);
        Set<String> temps = saveTemps();
        String good = InspectFixtures.nginx();
        for (String[] args : List.of(new String[] {"inspect", image}, new String[] {"inspect", image, "--tree", "--json"},
                new String[] {"compare", good, image}, new String[] {"diff", good, image})) {
            Cli r = Cli.run(args);
            assertThat(r.exitCode()).as("%s: %s", Arrays.toString(args), r.err()).isEqualTo(exitCode);
            assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
            assertThat(r.err().strip()).matches("distrolix: " + messageRegex);
            assertThat(r.out()).as("nothing printed before the error").isEmpty();
        }
        assertThat(listing(tmp)).isEqualTo(before);
        assertThat(saveTemps()).isEqualTo(temps);
    }

    private Path copyOfNginx(String name) {
        Path copy = tmp.resolve(name);
        String ref = InspectFixtures.nginx();
        Fixtures.run("cp", "-r", ref.substring("oci:".length(), ref.length() - ":test".length()), copy.toString());
        return copy;
    }

    private static Path layerBlob(Path layout, int i) throws IOException {
        String digest = OciLayouts.manifest(layout).get("layers").get(i).get("digest").asText();
        return OciLayouts.blobPath(layout, digest);
    }

    @IntegrationTest
    @Test
    void missingImages() throws IOException {
        assertRefused("oci:" + tmp.resolve("nope"), 3, "oci:.*/nope: no such directory");
        assertRefused("oci-archive:" + tmp.resolve("nope.tar"), 3, "oci-archive:.*/nope\\.tar: no such file");
        assertRefused("docker-archive:/dev/zero", 3, "docker-archive:/dev/zero: not a regular file \\(an archive is read from a file\\)");
        assertRefused("podman:localhost/distrolix-no-such-image:x", 3,
                "podman:localhost/distrolix-no-such-image:x: no such image in podman \\(.*\\)");
        assertRefused(tmp.resolve("nothing-here").toString(), 3, "'.*/nothing-here': no such image \\(expected oci:DIR.*\\)");
        assertRefused("docker://h.io/UPPER:1", 3, "invalid image reference 'docker://h.io/UPPER:1': "
                + "invalid repository name 'UPPER' .*\\(expected " + Pattern.quote(ImageReference.FORMS) + "\\)");
    }

    @IntegrationTest
    @Test
    void aTruncatedArchive() throws IOException {
        Path whole = Path.of(InspectFixtures.nginxIn("oci-archive").substring("oci-archive:".length()));
        Path cut = tmp.resolve("cut.tar");
        byte[] b = Files.readAllBytes(whole);
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        assertRefused("oci-archive:" + cut, 3, "oci-archive:.*/cut\\.tar: .*");
        Path docker = Path.of(InspectFixtures.nginxIn("docker-archive").substring("docker-archive:".length()));
        Path cutDocker = tmp.resolve("cut-docker.tar");
        byte[] d = Files.readAllBytes(docker);
        Files.write(cutDocker, Arrays.copyOf(d, d.length - 5000));
        assertRefused("docker-archive:" + cutDocker, 3, "(docker-archive:.*/cut-docker\\.tar: |layer \\d+ \\().*");
    }

    @IntegrationTest
    @Test
    void aLayerWhoseDigestDoesNotMatch() throws IOException {
        Path layout = copyOfNginx("tampered");
        Path blob = layerBlob(layout, 5);
        byte[] b = Files.readAllBytes(blob);
        b[4] ^= 1; // the gzip header's mtime: decompresses as before, hashes differently
        Files.write(blob, b);
        assertRefused("oci:" + layout + ":test", 3, Pattern.quote("oci:" + layout + ":test: ")
                + "layer 6 \\(sha256:[0-9a-f]{12}…\\): blob digest mismatch: its content is sha256:[0-9a-f]{64}");
    }

    @IntegrationTest
    @Test
    void aManifestThatReferencesAMissingBlob() throws IOException {
        Path layout = copyOfNginx("missing");
        Path blob = layerBlob(layout, 2);
        Files.delete(blob);
        assertRefused("oci:" + layout, 3, "oci:.*/missing: the manifest references layer 3 blob sha256:"
                + blob.getFileName() + ", which is missing");
    }

    @IntegrationTest
    @Test
    void pathTraversalAndSymlinksOutOfTheRoot() throws IOException {
        Path dots = TestLayouts.ociLayout(tmp.resolve("dots"),
                List.of(new Tar().file("etc/passwd", "root:x:0:0::/:/bin/sh\n").bytes(),
                        new Tar().file("../../../tmp/evil", "x").bytes()), Zip.GZIP, false);
        assertRefused("oci:" + dots, 3, Pattern.quote("oci:" + dots + ": ") + "layer 2 \\(sha256:[0-9a-f]{12}…\\): entry '\\.\\./\\.\\./\\.\\./tmp/evil' has a "
                + "'\\.\\.' component \\(path traversal\\)");
        Path link = TestLayouts.ociLayout(tmp.resolve("link"),
                List.of(new Tar().dir("etc", 0755).symlink("etc/escape", "/../../../../etc/shadow").bytes()), Zip.NONE, false);
        // a symlink above the root is read as the runtime reads it (clamped at the root), shown as written
        Cli shown = Cli.run("inspect", "oci:" + link, "--tree");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("/etc/escape -> /../../../../etc/shadow");
        assertThat(Path.of("/tmp/evil")).doesNotExist();
    }

    @Test
    void aMissingToolIsAFailureNotAnInputError() throws IOException {
        Cli r = CliProcess.run(Map.of("PATH", tmp.resolve("empty-path").toString()), tmp,
                "inspect", "podman:localhost/anything:1");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("distrolix: cannot run podman: is it installed?");
        assertThat(r.out()).isEmpty();
    }
}
