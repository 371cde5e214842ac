package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import dev.distrolix.transport.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad registry targets and copy sources: one clear line, the documented exit code, nothing left behind. */
class RegistryBadInputTest {
    @TempDir
    Path tmp;

    void assertRefused(Cli r, int exit, String message) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err().strip()).startsWith("distrolix: ").contains(message);
        assertThat(r.out()).isEmpty();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }

    Cli build(String target, String... more) {
        String[] args = new String[7 + more.length];
        System.arraycopy(new String[] {"build", NginxImageTest.EXAMPLE.toString(), "-q", "-I", NginxImageTest.INCLUDE,
            "-o", target}, 0, args, 0, 7);
        System.arraycopy(more, 0, args, 7, more.length);
        return Cli.run(args);
    }

    @Test
    void malformedRegistryTargets() throws Exception {
        assertRefused(build("docker://h.io/UPPER:1"), 3,
                "invalid image reference 'docker://h.io/UPPER:1': invalid repository name 'UPPER'");
        assertRefused(build("docker://h.io/app@sha256:" + "0".repeat(64)), 3,
                "an image is pushed under tags, not to a digest");
        assertRefused(build("docker://h.io/app:1,,2"), 3, "empty tag in '1,,2'");
        assertRefused(build("docker://h.io/app:1", "--creds", "justauser"), 3, "--creds must be USER:PASSWORD");
    }

    @Test
    void anUnreachableRegistryFailsBeforeTheBuild() throws Exception {
        long t0 = System.nanoTime();
        Cli r = build("docker://127.0.0.1:" + RegistryServer.freePort() + "/app:1");
        assertRefused(r, 1, ": connecting to https://127.0.0.1:");
        assertThat(r.err()).contains("cannot connect");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("no Nix work first").isLessThan(3_000);
    }

    @IntegrationTest
    @Test
    void badCopySources() throws Exception {
        assertRefused(Cli.run("copy", "foo:bar", "oci:" + tmp.resolve("out")), 3,
                "'foo:bar': no such image (expected " + ImageReference.FORMS + " or a path)");
        assertRefused(Cli.run("copy", "oci:" + tmp.resolve("absent") + ":1", "oci:" + tmp.resolve("out")), 3,
                "oci:" + tmp.resolve("absent") + ":1: no such directory");
        // a bare path is read by its content (as by inspect); one that names nothing is refused
        Path absent = Path.of(NginxLayout.dir() + "-absent");
        assertRefused(Cli.run("copy", absent.toString(), "oci:" + tmp.resolve("out")), 3,
                "'" + absent + "': no such image (expected ");
        String wrongTag = "oci:" + NginxLayout.dir() + ":nope";
        assertRefused(Cli.run("copy", wrongTag, "oci:" + tmp.resolve("out")), 3,
                wrongTag + ": no image tagged 'nope' (tags: 1)");
        assertRefused(Cli.run("copy", "docker-archive:" + tmp.resolve("none.tar"), "oci:" + tmp.resolve("out")), 3,
                "docker-archive:" + tmp.resolve("none.tar") + ": no such file");
    }

    @IntegrationTest
    @Test
    void aMissingImageInARegistry() throws Exception {
        try (RegistryServer registry = RegistryServer.in(Files.createTempDirectory("distrolix-bad-registry-")).start()) {
            Cli r = Cli.run("copy", "docker://" + registry.address() + "/missing:1", "oci:" + tmp.resolve("out"));
            // as for inspect: a registry without the image is the user's input, exit 3
            assertRefused(r, 3, "docker://" + registry.address() + "/missing:1: registry " + registry.address()
                    + " has no ");
        }
    }

    @Test
    void copyNeedsTwoArguments() {
        Cli r = Cli.run("copy", "oci:x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'DST'");
    }

    @Test
    void helpTeaches() {
        Cli r = Cli.run("copy", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("skopeo", "docker://HOST[:PORT]/REPO[:TAG|@DIGEST]", "Examples:",
                "--creds", "--insecure", "--src-creds", "--json");
        assertThat(Cli.run("build", "--help").out()).contains("docker://HOST[:PORT]/REPO[:TAG,…]", "--creds=USER:PASSWORD");
    }
}
