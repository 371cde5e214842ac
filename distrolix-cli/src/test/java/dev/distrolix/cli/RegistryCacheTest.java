package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.registry.BlobContent;
import dev.distrolix.registry.ImagePusher;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry as a layer cache, against the real distribution registry: a runner with an empty layer
 * cache reuses the layers of the image already under its target tag (or of a {@code --cache-from} image),
 * matched by the cache key each layer descriptor carries, fetched and checked instead of made; a layer the
 * registry serves damaged is made instead.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryCacheTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    RegistryServer registry;
    Path spec;
    String firstDigest;

    @BeforeAll
    void pushOnce() throws Exception {
        registry = RegistryServer.in(tmp.resolve("registry")).start();
        Path dir = Files.createDirectories(tmp.resolve("nginx"));
        try (Stream<Path> s = Files.list(Fixtures.repo().resolve("examples/nginx"))) {
            for (Path f : s.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        spec = dir.resolve("image.yaml");
        JsonNode first = build("cache-first", "-o", "docker://" + registry.address() + "/web:1");
        firstDigest = first.get("manifestDigest").asText();
        assertThat(fates(first)).containsOnly("built");
    }

    @AfterAll
    void stop() throws Exception {
        registry.close();
    }

    JsonNode build(String cache, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("build", spec.toString(), "--json", "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--cache-dir", tmp.resolve(cache).toString()));
        args.addAll(List.of(more));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /**
     * A run that records the start-up archive of builds to a registry from an empty layer cache ({@code
     * bin/distrolix}'s {@code -fetch} kind) and took nothing from the registry (a first push) reads back the image
     * it pushed, as the next such build reads the previous image: its keys, one a layer; a run that took the
     * registry's layers, one with {@code --no-cache} and one of another kind read nothing.
     */
    @Test
    void aFirstPushFromAnEmptyCacheIsReadBackForTheArchive() throws Exception {
        JsonNode first = build("readback-first", "-o", "docker://" + registry.address() + "/readback:1");
        assertThat(fates(first)).containsOnly("built");
        BuildCommand.PushedImage pushed = BuildCommand.pushedWithoutFetch;
        assertThat(pushed).isNotNull();
        assertThat(pushed.ref().toString()).isEqualTo("docker://" + registry.address() + "/readback:1");
        assertThat(dev.distrolix.build.ArchiveTraining.readBack(pushed.ref(), pushed.settings()))
                .isEqualTo(first.get("layers").size());
        assertThat(Distrolix.readBackPushed("-push")).isFalse();
        assertThat(Distrolix.readBackPushed("-local")).isFalse();
        assertThat(Distrolix.readBackPushed("-fetch")).isTrue();
        assertThat(Distrolix.readBackPushed("-fetch-locked")).isTrue();
        // an image that is not there: nothing read
        assertThat(dev.distrolix.build.ArchiveTraining.readBack(
                (dev.distrolix.transport.ImageReference.Registry) dev.distrolix.transport.ImageReference.parseSource(
                        "docker://" + registry.address() + "/readback:absent"), pushed.settings())).isEqualTo(-1);

        JsonNode fresh = build("readback-fresh", "-o", "docker://" + registry.address() + "/readback:1");
        assertThat(fates(fresh)).contains("registry");
        assertThat(BuildCommand.pushedWithoutFetch).isNull();
        assertThat(Distrolix.readBackPushed("-fetch")).isFalse();
        build("readback-none", "--no-cache", "-o", "docker://" + registry.address() + "/readback:2");
        assertThat(BuildCommand.pushedWithoutFetch).isNull();
    }

    static List<String> fates(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.get("layers").forEach(l -> out.add(l.get("fate").asText()));
        return out;
    }

    @Test
    void aColdRunnerTakesThePreviousImagesLayersFromItsTargetAndUploadsNothing() throws Exception {
        String manifest = Fixtures.run("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + registry.address() + "/web:1");
        assertThat(JSON.readTree(manifest).get("layers")).allSatisfy(l ->
                assertThat(l.at("/annotations/dev.distrolix.layer.key").asText()).matches("[0-9a-f]{64}"));
        long uploads = registry.blobUploads("web");
        long blobGets = registry.countRequests("\"GET /v2/web/blobs/sha256:\\S+ HTTP/1.1\" 200");
        long heads = registry.countRequests("\"HEAD /v2/web/blobs/");

        JsonNode cold = build("cache-cold", "-o", "docker://" + registry.address() + "/web:1");
        // the store layers come from the registry; the declared files (a few kB) are made here
        assertThat(fates(cold)).containsExactly("registry", "registry", "registry", "registry", "registry", "registry",
                "built");
        assertThat(cold.get("manifestDigest").asText()).as("the same image").isEqualTo(firstDigest);
        assertThat(registry.blobUploads("web")).as("nothing uploaded").isEqualTo(uploads);
        assertThat(registry.countRequests("\"GET /v2/web/blobs/sha256:\\S+ HTTP/1.1\" 200") - blobGets)
                .as("each store layer fetched once (and the config)").isBetween(6L, 7L);
        // the image's blobs are taken as its manifest describes them (each fetched one verified), not asked about
        // first; the push's new blobs are small and go up unasked
        assertThat(registry.countRequests("\"HEAD /v2/web/blobs/") - heads).as("HEADs").isZero();

        // the fetched layers are now in the runner's own cache, saved as they were read: every byte checked again
        Cli verified = Cli.run("cache", "verify", "--cache-dir", tmp.resolve("cache-cold").toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains(": 7 layers, 7 blobs, ");
        JsonNode warm = build("cache-cold", "-o", "docker://" + registry.address() + "/web:1");
        assertThat(fates(warm)).containsOnly("cached");

        // an edit: the other layers still come from the registry, only the changed one is made
        Path edited = Files.createDirectories(tmp.resolve("edited"));
        try (Stream<Path> s = Files.list(spec.getParent())) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.copy(f, edited.resolve(f.getFileName()));
            }
        }
        Files.writeString(edited.resolve("index.html"), "<h1>edited</h1>\n");
        Cli r = Cli.run("build", edited.resolve("image.yaml").toString(), "--json", "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--cache-dir", tmp.resolve("cache-edit").toString(),
                "-o", "docker://" + registry.address() + "/web:2", "--cache-from", "docker://" + registry.address() + "/web:1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> editFates = fates(JSON.readTree(r.out()));
        assertThat(editFates.subList(0, 6)).containsOnly("registry");
        assertThat(editFates.get(6)).isEqualTo("built");
    }

    @Test
    void cacheFromAnotherImageIntoALayoutGivesTheSameDigestAndNoCacheMakesEverything() throws Exception {
        JsonNode fromRegistry = build("cache-from", "-o", "oci:" + tmp.resolve("layout") + ":1",
                "--cache-from", "docker://" + registry.address() + "/web:1");
        assertThat(fates(fromRegistry).subList(0, 6)).containsOnly("registry");
        assertThat(fromRegistry.get("manifestDigest").asText()).isEqualTo(firstDigest);
        // the layout is whole: skopeo reads every blob of it
        Fixtures.run("skopeo", "copy", "oci:" + tmp.resolve("layout") + ":1", "dir:" + tmp.resolve("dir-copy"));

        Cli none = Cli.run("build", spec.toString(), "--json", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--no-cache", "-o", "oci:" + tmp.resolve("layout-none") + ":1",
                "--cache-from", "docker://" + registry.address() + "/web:1");
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(fates(JSON.readTree(none.out()))).containsOnly("built");
    }

    /**
     * A copy of web:1 under {@code name}:1 made to deceive: layer 4's descriptor keeps its key but names layer 3's
     * blob; the config's diff_id for it is layer 3's ({@code consistent}: blob, digest and diff_id agree) or left as
     * this build's own (the blob then claims the tar this build makes); returns layer 3's descriptor.
     */
    private JsonNode pushPosing(String name, boolean consistent) throws Exception {
        String posingRef = "docker://" + registry.address() + "/" + name + ":1";
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + registry.address() + "/web:1", posingRef);
        ObjectNode manifest = (ObjectNode) JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw",
                "--tls-verify=false", posingRef));
        ObjectNode config = (ObjectNode) JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "--config",
                "--tls-verify=false", posingRef));
        ArrayNode diffIds = (ArrayNode) config.at("/rootfs/diff_ids");
        if (consistent) {
            diffIds.set(4, diffIds.get(3));
        }
        ObjectNode posing = (ObjectNode) manifest.get("layers").get(4);
        JsonNode other = manifest.get("layers").get(3);
        posing.put("digest", other.get("digest").asText()).put("size", other.get("size").asLong());
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Digest configDigest = Digest.sha256(configBytes);
        ((ObjectNode) manifest.get("config")).put("digest", configDigest.toString()).put("size", configBytes.length);
        ImagePusher.push(new ImagePusher.Request(RegistryRef.parse(registry.address() + "/" + name + ":1"), List.of("1"),
                List.of(ImagePusher.Blob.of(Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length),
                        BlobContent.of(configBytes), "config")),
                List.of(), ManifestBytes.of(JSON.writeValueAsBytes(manifest), MediaTypes.OCI_MANIFEST)),
                RegistrySettings.defaults());
        return other;
    }

    @Test
    void aLayerUnderAnotherLayersKeyIsMadeInstead() throws Exception {
        String posingRef = "docker://" + registry.address() + "/posing:1";
        JsonNode other = pushPosing("posing", true);
        Cli r = Cli.run("build", spec.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-dir", tmp.resolve("cache-posing").toString(), "-o", "oci:" + tmp.resolve("layout-posing") + ":1",
                "--cache-from", posingRef);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).as("the right image all the same").endsWith(firstDigest);
        String layer3 = other.get("digest").asText().substring("sha256:".length(), "sha256:".length() + 12);
        assertThat(r.err()).contains("layer " + layer3 + " from " + posingRef
                + " not used (it holds other files than this build's layer of the same key").contains("made instead");
        // the layers that are what they claim still come from the registry; the one posing was made
        JsonNode again = build("cache-posing-2", "-o", "oci:" + tmp.resolve("layout-posing-2") + ":1",
                "--cache-from", posingRef);
        assertThat(fates(again).subList(0, 4)).containsOnly("registry");
        assertThat(fates(again).get(4)).isEqualTo("built");
        assertThat(again.get("manifestDigest").asText()).isEqualTo(firstDigest);
    }

    /**
     * The blob claims, through the config, the tar this build makes: it is checked against that claim, and refused
     * (here its tar's size differs from this build's too; LayerPrefetchTest has a blob whose tar is the same size).
     */
    @Test
    void aBlobClaimingThisBuildsTarIsCheckedAgainstTheClaim() throws Exception {
        String posingRef = "docker://" + registry.address() + "/claiming:1";
        pushPosing("claiming", false);
        Cli r = Cli.run("build", spec.toString(), "--json", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-dir", tmp.resolve("cache-claiming").toString(), "-o", "oci:" + tmp.resolve("layout-claiming") + ":1",
                "--cache-from", posingRef);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("manifestDigest").asText()).as("the right image all the same")
                .isEqualTo(firstDigest);
        assertThat(fates(JSON.readTree(r.out())).subList(0, 4)).containsOnly("registry");
        assertThat(fates(JSON.readTree(r.out())).get(4)).isEqualTo("built");
    }

    @Test
    void aLayerTheRegistryServesDamagedIsMadeInsteadAndAMissingImageIsANote() throws Exception {
        // a copy of the image in a repository of its own, one of its layer blobs then damaged on the registry's disk
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + registry.address() + "/web:1", "docker://" + registry.address() + "/damaged:1");
        JsonNode manifest = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + registry.address() + "/damaged:1"));
        String zlib = manifest.get("layers").get(4).get("digest").asText().substring("sha256:".length());
        Path data = registry.dir().resolve("data/docker/registry/v2/blobs/sha256").resolve(zlib.substring(0, 2))
                .resolve(zlib).resolve("data");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(data, bytes);

        Cli r = Cli.run("build", spec.toString(), "--json", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-dir", tmp.resolve("cache-damaged").toString(), "-o", "oci:" + tmp.resolve("layout-damaged") + ":1",
                "--cache-from", "docker://" + registry.address() + "/damaged:1",
                "--cache-from", "docker://" + registry.address() + "/never-pushed:1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode result = JSON.readTree(r.out());
        assertThat(result.get("manifestDigest").asText()).as("the right image all the same").isEqualTo(firstDigest);
        List<String> fates = fates(result);
        assertThat(fates.get(4)).isEqualTo("built");
        assertThat(fates.subList(0, 4)).containsOnly("registry");
        // said as notes (--json prints none): the same build again, from an empty cache
        Cli said = Cli.run("build", spec.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-dir", tmp.resolve("cache-damaged-2").toString(), "-o", "oci:" + tmp.resolve("layout-damaged") + ":1",
                "--cache-from", "docker://" + registry.address() + "/damaged:1",
                "--cache-from", "docker://" + registry.address() + "/never-pushed:1");
        assertThat(said.exitCode()).as(said.err()).isZero();
        assertThat(said.err()).contains("layer " + zlib.substring(0, 12) + " from docker://" + registry.address()
                + "/damaged:1 not used (").contains("made instead")
                .contains("--cache-from docker://" + registry.address() + "/never-pushed:1 not used: ");

        Cli bad = Cli.run("build", spec.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-from", "oci:" + tmp.resolve("layout") + ":1", "-o", "oci:" + tmp.resolve("never") + ":1");
        assertThat(bad.exitCode()).isEqualTo(3);
        assertThat(bad.errLine()).contains("--cache-from oci:").contains("not a docker:// image");
        assertThat(tmp.resolve("never")).doesNotExist();
    }
}
