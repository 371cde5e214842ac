package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command reads images through the same transports, so a missing tag, an index that holds
 * several platforms and a wrong transport get the same one line, with exit 3, from each command.
 */
@IntegrationTest
class SameErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMMANDS = List.of("inspect", "audit", "sbom");

    @TempDir
    static Path tmp;
    static RegistryServer registry;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(tmp.resolve("registry")).start();
        DockerDaemon.ensure();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        Fixtures.exec(new ProcessBuilder("podman", "rmi", "-f", "localhost/distrolix-errors:1"));
        Fixtures.exec(new ProcessBuilder("docker", "rmi", "-f", "localhost/distrolix-errors-d:1"));
    }

    /** Runs each reading command on {@code ref}: all exit 3 with one and the same line, which is returned. */
    static String sameError(String ref, String... moreCommands) {
        String line = null;
        List<String> commands = new java.util.ArrayList<>(COMMANDS);
        commands.addAll(List.of(moreCommands));
        for (String command : commands) {
            Cli r = command.equals("copy") ? Cli.run("copy", ref, "oci:" + tmp.resolve("never"))
                    : Cli.run(command, ref);
            assertThat(r.exitCode()).as("%s %s: %s", command, ref, r.err()).isEqualTo(3);
            assertThat(r.err().strip().lines().count()).as("%s %s: %s", command, ref, r.err()).isEqualTo(1);
            if (line == null) {
                line = r.errLine();
            } else {
                assertThat(r.errLine()).as("%s %s", command, ref).isEqualTo(line);
            }
        }
        assertThat(Files.exists(tmp.resolve("never"))).isFalse();
        return line;
    }

    private static void copy(String src, String dst) {
        Cli r = Cli.run("copy", src, dst, "-q");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void missingTagInALayout() throws Exception {
        assertThat(sameError(NginxLayout.reference().replaceAll(":1$", ":nope"), "copy"))
                .contains("no image tagged 'nope' (tags: 1)");
    }

    @Test
    void missingTagInAnOciArchive() throws Exception {
        Path a = tmp.resolve("a.tar");
        copy(NginxLayout.reference(), "oci-archive:" + a + ":1");
        assertThat(sameError("oci-archive:" + a + ":nope")).contains("no image tagged 'nope' (tags: 1)");
    }

    @Test
    void missingNameInADockerArchive() throws Exception {
        Path a = tmp.resolve("d.tar");
        copy(NginxLayout.reference(), "docker-archive:" + a + ":localhost/x:1");
        assertThat(sameError("docker-archive:" + a + ":localhost/x:nope")).contains("no image tagged 'nope'");
    }

    @Test
    void missingTagInARegistry() throws Exception {
        copy(NginxLayout.reference(), "docker://" + registry.address() + "/errors:1");
        assertThat(sameError("docker://" + registry.address() + "/errors:nope", "copy"))
                .contains("has no image errors:nope");
    }

    @Test
    void missingImageInPodman() throws Exception {
        copy(NginxLayout.reference(), "podman:localhost/distrolix-errors:1");
        assertThat(sameError("podman:localhost/distrolix-errors:nope")).contains("no such image in podman");
    }

    @Test
    void missingImageInDocker() throws Exception {
        copy(NginxLayout.reference(), "docker:localhost/distrolix-errors-d:1");
        assertThat(sameError("docker:localhost/distrolix-errors-d:nope")).contains("no such image in docker");
    }

    @Test
    void anIndexOfOtherPlatformsInALayoutAnArchiveAndARegistry() throws Exception {
        Path layout = twoPlatformLayout();
        String expected = "holds 2 images (linux/arm64, linux/s390x) and none for linux/amd64; choose one with --platform";
        assertThat(sameError("oci:" + layout, "copy")).endsWith(expected);

        Path archive = tmp.resolve("index.tar");
        Fixtures.run("tar", "-C", layout.toString(), "-cf", archive.toString(), ".");
        assertThat(sameError("oci-archive:" + archive)).endsWith(expected);

        copy("oci:" + layout, "docker://" + registry.address() + "/multi:1");
        assertThat(sameError("docker://" + registry.address() + "/multi:1")).endsWith(expected);

        // and --platform picks one, the same way in every command
        Cli r = Cli.run("inspect", "oci:" + layout, "--platform", "linux/s390x", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void aWrongTransport() {
        assertThat(sameError("dockr://" + registry.address() + "/errors:1", "copy"))
                .contains("no such image (expected oci:DIR[:TAG]");
        assertThat(sameError("oci-archiv:/tmp/x.tar", "copy")).contains("no such image (expected");
        assertThat(sameError("podman:", "copy")).contains("empty image name");
    }

    /** The nginx layout with index.json listing its one manifest twice, as linux/arm64 and linux/s390x. */
    private static Path twoPlatformLayout() throws Exception {
        Path layout = tmp.resolve("multi");
        Fixtures.run("cp", "-r", NginxLayout.dir().toString(), layout.toString());
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode entry = (ObjectNode) index.get("manifests").get(0);
        entry.remove("annotations");
        ArrayNode manifests = index.putArray("manifests");
        for (String arch : List.of("arm64", "s390x")) {
            ObjectNode e = entry.deepCopy();
            e.putObject("platform").put("architecture", arch).put("os", "linux");
            manifests.add(e);
        }
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        return layout;
    }
}
