package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inspect, diff and compare reading {@code docker://} images from the real distribution registry:
 * the nginx example pushed by {@code build -o docker://…} reads back as the same image as its
 * {@code oci:} build; missing images, unreachable and password-protected registries are one line.
 */
@IntegrationTest
class RegistryInspectCliTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    static RegistryServer locked;
    static String oci;
    static String pushed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
        locked = RegistryServer.in(shared.resolve("locked")).htpasswd("alice", "wonderland").start();
        oci = NginxLayout.reference();
        pushed = "docker://" + registry.address() + "/nginx:1";
        NginxImageTest.build(NginxImageTest.EXAMPLE, pushed, "-q");
        Cli copy = Cli.run("copy", oci, "docker://" + locked.address() + "/nginx:1", "--insecure",
                "--creds", "alice:wonderland");
        assertThat(copy.exitCode()).as(copy.err()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        locked.close();
    }

    /** inspect --json without the fields that name the source. */
    static JsonNode inspectJson(String image, String... more) throws Exception {
        String[] args = Stream.concat(Stream.of("inspect", image, "--json"), Stream.of(more)).toArray(String[]::new);
        ObjectNode n = (ObjectNode) InspectCommandTest.json(args);
        assertThat(n.get("reference").asText()).isEqualTo(image);
        n.remove("reference");
        n.remove("repoTags");
        return n;
    }

    @Test
    void inspectOfThePushedImageShowsWhatTheOciBuildShows() throws Exception {
        JsonNode fromRegistry = inspectJson(pushed);
        JsonNode fromLayout = inspectJson(oci);
        assertThat(fromRegistry.get("manifestDigest").asText()).startsWith("sha256:");
        assertThat(fromRegistry.get("layers")).hasSize(fromLayout.get("layers").size());
        assertThat(fromRegistry.get("layers").get(1).get("storePaths")).isNotEmpty();
        assertThat(fromRegistry).isEqualTo(fromLayout); // digests, layers, store paths, packages, config

        Cli human = Cli.run("inspect", pushed);
        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out()).startsWith("Image         " + pushed + "  (" + registry.address() + "/nginx:1)\n")
                .contains("Digest        " + fromLayout.get("manifestDigest").asText());

        Cli treeRegistry = Cli.run("inspect", pushed, "--tree");
        Cli treeLayout = Cli.run("inspect", oci, "--tree");
        assertThat(treeRegistry.exitCode()).as(treeRegistry.err()).isZero();
        assertThat(treeRegistry.out()).contains("-nginx-1.22.1/bin/nginx", "/usr/local/bin -> /nix/store/").isEqualTo(treeLayout.out());
    }

    @Test
    void diffAndCompareTakeRegistryImages() throws Exception {
        Cli diff = Cli.run("diff", oci, pushed);
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out().strip()).startsWith("identical: same manifest digest sha256:");

        JsonNode rows = InspectCommandTest.JSON.readTree(Cli.run("compare", oci, pushed, "--json").out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("reference").asText()).isEqualTo(pushed);
        assertThat(rows.get(1).get("name").asText()).isEqualTo(registry.address() + "/nginx");
        assertThat(rows.get(1).get("tag").asText()).isEqualTo("1");
        assertThat(rows.get(1).get("manifestDigest")).isEqualTo(rows.get(0).get("manifestDigest"));
        assertThat(rows.get(1).get("files")).isEqualTo(rows.get(0).get("files"));
    }

    void assertOneLine(Cli r, int exit, String message) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err().strip()).startsWith("distrolix: ").contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void auditSbomAndWhyReadRegistryImagesToo() throws Exception {
        Cli audit = Cli.run("audit", pushed, "--json");
        Cli auditOci = Cli.run("audit", oci, "--json");
        assertThat(audit.exitCode()).as(audit.err()).isEqualTo(auditOci.exitCode());
        assertThat(InspectCommandTest.JSON.readTree(audit.out()).get("findings"))
                .isEqualTo(InspectCommandTest.JSON.readTree(auditOci.out()).get("findings"));
        Cli sbom = Cli.run("sbom", pushed);
        assertThat(sbom.exitCode()).as(sbom.err()).isZero();
        assertThat(sbom.out()).contains("openssl", "agrees with build-time graph");
        Cli why = Cli.run("why", pushed, "glibc");
        assertThat(why.exitCode()).as(why.err()).isZero();
        assertThat(why.out()).contains("glibc");
    }

    @Test
    void aMissingTagIsAnInputError() {
        String ref = "docker://" + registry.address() + "/nginx:nope";
        assertOneLine(Cli.run("inspect", ref), 3, ref + ": registry " + registry.address()
                + " has no image nginx:nope (HTTP 404 MANIFEST_UNKNOWN)");
        assertOneLine(Cli.run("diff", oci, ref), 3, "has no image nginx:nope");
    }

    @Test
    void anUnreachableRegistryIsAFailure() {
        String address = "127.0.0.1:" + RegistryServer.freePort();
        assertOneLine(Cli.run("inspect", "docker://" + address + "/nginx:1"), 1,
                address + ": connecting to https://" + address + ": cannot connect");
    }

    /** An environment with nothing of the user's: an empty home, no auth files. */
    Map<String, String> cleanEnv() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("home/.config").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("home/.docker").toString());
        return env;
    }

    @Test
    void aPasswordProtectedRegistryNeedsCreds() throws Exception {
        String ref = "docker://" + locked.address() + "/nginx:1";
        Cli ok = Cli.run("inspect", ref, "--creds", "alice:wonderland", "--insecure", "--json");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(InspectCommandTest.JSON.readTree(ok.out()).get("manifestDigest"))
                .isEqualTo(inspectJson(oci).get("manifestDigest"));

        assertOneLine(CliProcess.run(cleanEnv(), tmp, "inspect", ref), 1, locked.address()
                + ": connecting to http://" + locked.address() + ": HTTP 401 UNAUTHORIZED: authentication required; "
                + "unauthorized: no credentials for " + locked.address() + " (give --creds USER:PASSWORD");
        assertOneLine(Cli.run("compare", oci, ref, "--creds", "alice:nope", "--insecure"), 1,
                "unauthorized: the registry rejected the credentials of 'alice' from --creds");
    }

    @Test
    void helpNamesTheRegistryFormAndOptions() {
        assertThat(Cli.run("inspect", "--help").out())
                .contains("docker://HOST[:PORT]/REPO[:TAG|@DIGEST]", "--creds=USER:PASSWORD", "--insecure");
        assertThat(Cli.run("compare", "--help").out()).contains("docker://", "--creds=USER:PASSWORD", "--insecure");
        assertThat(Cli.run("diff", "--help").out()).contains("docker://", "--creds=USER:PASSWORD", "--insecure");
    }
}
