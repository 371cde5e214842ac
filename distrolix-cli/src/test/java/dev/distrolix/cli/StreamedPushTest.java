package dev.distrolix.cli;

import static dev.distrolix.testing.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.FaultProxy.Fault;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --no-cache -o docker://…}: each layer is tarred and compressed straight into an upload to the
 * registry (no blob on disk: the build runs with a temp folder that does not exist), the image is the one a
 * build to disk makes, and a layer whose upload breaks is made again on disk and pushed with the image.
 */
@IntegrationTest
class StreamedPushTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    static String reference;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    Cli build(String target, String... env) {
        return build(true, target, env);
    }

    Cli build(boolean quiet, String target, String... env) {
        Map<String, String> e = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "NIX_CONFIG", "substituters ="));
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return CliProcess.run(e, tmp, "build", Fixtures.repo().resolve("examples/nginx/image.yaml").toString(),
                quiet ? "-q" : "--no-lock", "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "--no-cache", "-o", target);
    }

    /** The digest a build to disk gives: what every streamed build must give too. */
    synchronized String reference() {
        if (reference == null) {
            Cli r = build("oci:" + shared.resolve("reference") + ":1");
            assertThat(r.exitCode()).as(r.err()).isZero();
            reference = r.out().strip();
        }
        return reference;
    }

    @Test
    void layersGoStraightIntoTheRegistryWithNothingOnDisk() throws Exception {
        String none = "-Djava.io.tmpdir=" + tmp.resolve("no-such-folder");
        Cli streamed = build("docker://" + registry.address() + "/streamed:1", "JAVA_TOOL_OPTIONS", none);
        assertThat(streamed.exitCode()).as(streamed.err()).isZero();
        assertThat(streamed.out().strip()).isEqualTo(reference());
        // each blob went up once: the 7 layers as they were made (PATCH), then the config, small, in its PUT
        assertThat(registry.countRequests("\"PATCH /v2/streamed/blobs/uploads/\\S+ HTTP/1.1\" 202")).isEqualTo(7);
        assertThat(registry.blobUploads("streamed")).isEqualTo(8);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/streamed:1", tmp.resolve("copy")); // re-hashes every blob
        // the same build to a folder needs the temp folder: the one above did not write there
        Cli toDisk = build("oci:" + tmp.resolve("layout") + ":1", "JAVA_TOOL_OPTIONS", none);
        assertThat(toDisk.exitCode()).isNotZero();
    }

    @Test
    void aLayerWhoseUploadBreaksIsMadeOnDiskAndPushedWithTheImage() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(registry.port())) {
            // streamed bodies are chunked; only the one layer over 3 MB (glibc's) is cut, and only as it is streamed
            proxy.inject(method("PATCH", "/v2/broken/blobs/uploads/").and(r -> r.header("transfer-encoding") != null),
                    new Fault.ResetAfter(3_000_000), 100);
            Cli r = build(false, "docker://" + proxy.address() + "/broken:1"); // notices are not printed with -q
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("digest   " + reference() + "\n");
            // the table says which layers went up as they were made, and which one was made again on disk
            assertThat(r.out().lines().filter(l -> l.contains(" streamed ")).count()).isEqualTo(6);
            assertThat(r.out()).containsPattern(" built +glibc-");
            assertThat(proxy.count("PATCH .* -> reset")).as(String.join("\n", proxy.log())).isEqualTo(1);
            assertThat(r.err()).contains("could not be streamed to " + proxy.address()).contains("made on disk and pushed");
            RealToolsCheck.skopeoCopyVerifies(registry.address() + "/broken:1", tmp.resolve("copy"));
        }
    }

    /**
     * With a layer cache, the store layers a build makes are written to it and uploaded as they are written: the
     * push then finds them there and sends only the declared files (which a registry often has already, so
     * they are asked for, not streamed) and the config.
     */
    @Test
    void withALayerCacheMadeLayersAreUploadedAsTheyAreWritten() throws Exception {
        Cli r = CliProcess.run(Map.of("HOME", tmp.resolve("home").toString(), "NIX_CONFIG", "substituters ="), tmp, "build",
                Fixtures.repo().resolve("examples/nginx/image.yaml").toString(), "--json",
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "--cache-dir", tmp.resolve("cache").toString(),
                "-o", "docker://" + registry.address() + "/copied:1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(json.get("manifestDigest").asText()).isEqualTo(reference());
        java.util.List<String> fates = new java.util.ArrayList<>();
        json.get("push").get("blobs").forEach(b -> fates.add(b.get("fate").asText()));
        // the 6 store layers were there when the push asked; the declared files and the config were not (they
        // are uploaded, or mounted from another repository of this registry that has them)
        assertThat(fates).hasSize(8).filteredOn("exists"::equals).hasSize(6);
        assertThat(fates).filteredOn(f -> !f.equals("exists")).allMatch(f -> f.equals("uploaded") || f.equals("mounted"));
        assertThat(registry.blobUploads("copied")).as("the store layers, uploaded as they were made").isGreaterThanOrEqualTo(6);
        try (var blobs = java.nio.file.Files.list(tmp.resolve("cache/blobs/sha256"))) {
            assertThat(blobs.count()).as("every layer in the cache too").isEqualTo(7);
        }
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/copied:1", tmp.resolve("copy"));
    }
}
