package dev.distrolix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.IndexManifest;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.image.Platform;
import dev.distrolix.image.TestLayers;
import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerSummary;
import dev.distrolix.registry.BlobContent;
import dev.distrolix.registry.ImagePusher;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker://} as an image source, against the real distribution registry. */
@IntegrationTest
class RegistrySourceTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;

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

    static RegistrySettings settings() {
        return RegistrySettings.defaults().withBlobCacheDir(null);
    }

    /** A gzip layer with a text file and an uncompressed one with {@code variant}'s name in it. */
    static AssembledImage image(Path dir, String variant, Platform platform) throws IOException {
        List<LayerBlob> layers = List.of(
                TestLayers.gzipLayer(dir, variant + "-0", Map.of("etc/hello.txt", "hello " + variant + "\n")),
                TestLayers.layer(dir, variant + "-1", Map.of("opt/" + variant + "/data", "x".repeat(5000)),
                        Compression.NONE));
        List<HistoryEntry> history = layers.stream()
                .map(l -> HistoryEntry.layer(Instant.ofEpochSecond(1), "test " + variant, null)).toList();
        return ImageAssembler.assemble(platform, ContainerConfig.builder().entrypoint(List.of("/none")).build(),
                Instant.ofEpochSecond(1), layers, history, Map.of());
    }

    static List<ImagePusher.Blob> blobs(AssembledImage img) {
        List<ImagePusher.Blob> blobs = new ArrayList<>();
        for (LayerBlob l : img.blobs()) {
            blobs.add(ImagePusher.Blob.of(Descriptor.of(l.mediaType(), l.digest(), l.size()), BlobContent.of(l.file()),
                    "layer"));
        }
        blobs.add(ImagePusher.Blob.of(img.configDescriptor(), BlobContent.of(img.configBytes()), "config"));
        return blobs;
    }

    static ManifestBytes manifest(AssembledImage img) {
        return ManifestBytes.of(img.manifestBytes(), MediaTypes.OCI_MANIFEST);
    }

    static void push(String repoAndTag, List<ImagePusher.Blob> blobs, List<ManifestBytes> children, ManifestBytes top)
            throws IOException {
        RegistryRef ref = RegistryRef.parse(registry.address() + "/" + repoAndTag);
        ImagePusher.push(new ImagePusher.Request(ref, List.of(ref.tag()), blobs, children, top), settings());
    }

    static Descriptor entry(AssembledImage img, Platform p) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, img.manifestDigest(), img.manifestBytes().length, null, p);
    }

    @Test
    void anIndexResolvesToLinuxAmd64AndItsLayersStreamFromTheRegistry() throws Exception {
        Platform arm64 = Platform.of("arm64", "linux");
        AssembledImage arm = image(tmp, "arm", arm64);
        AssembledImage amd = image(tmp, "amd", Platform.linuxAmd64());
        List<ImagePusher.Blob> blobs = new ArrayList<>(blobs(arm));
        blobs.addAll(blobs(amd));
        ManifestBytes index = ManifestBytes.of(CanonicalJson.index(new IndexManifest(
                List.of(entry(arm, arm64), entry(amd, Platform.linuxAmd64())), Map.of())), MediaTypes.OCI_INDEX);
        push("multi:1", blobs, List.of(manifest(arm), manifest(amd)), index);

        String ref = "docker://" + registry.address() + "/multi:1";
        try (OpenedImage h = Transports.open(ref, settings())) {
            Image img = h.image();
            assertThat(h.reference()).isEqualTo(ref);
            assertThat(img.sourceDigest()).isEqualTo(amd.manifestDigest());
            assertThat(img.configDigest()).isEqualTo(amd.configDigest());
            assertThat(img.platform()).isEqualTo(Platform.linuxAmd64());
            assertThat(h.names()).containsExactly(registry.address() + "/multi:1");
            assertThat(img.layers()).extracting(Layer::digest)
                    .containsExactly(amd.layers().get(0).digest(), amd.layers().get(1).digest());
            FlatFilesystem fs = FlatFilesystem.read(img);
            assertThat(fs.entries()).extracting(FsEntry::path).contains("/etc/hello.txt", "/opt/amd/data")
                    .doesNotContain("/opt/arm/data");
            assertThat(fs.layers()).extracting(LayerSummary::compressedSize)
                    .containsExactly(amd.layers().get(0).size(), amd.layers().get(1).size());
        }
        // a digest names one platform's manifest directly
        String byDigest = "docker://" + registry.address() + "/multi@" + arm.manifestDigest();
        try (OpenedImage h = Transports.open(byDigest, settings())) {
            assertThat(h.image().platform()).isEqualTo(arm64);
            assertThat(h.names()).containsExactly(registry.address() + "/multi");
            assertThat(FlatFilesystem.read(h.image()).entries()).extracting(FsEntry::path).contains("/opt/arm/data");
        }
        // layers were read once each, streamed: one GET per layer of the chosen image
        assertThat(registry.countRequests("\"GET /v2/multi/blobs/" + amd.layers().get(1).digest() + " ")).isEqualTo(1);
    }

    @Test
    void aMissingTagOrRepositoryIsAnInputErrorNamingIt() {
        assertThatThrownBy(() -> Transports.open("docker://" + registry.address() + "/nothing-here:2", settings()))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("docker://" + registry.address() + "/nothing-here:2: registry "
                        + registry.address() + " has no ")
                .hasMessageContaining("HTTP 404");
    }

    /** The image pushed as REPO:1, then its second layer's blob deleted from the registry; that layer. */
    LayerBlob pushedWithoutItsSecondLayer(AssembledImage img, String repo) throws Exception {
        push(repo + ":1", blobs(img), List.of(), manifest(img));
        LayerBlob second = img.blobs().get(1);
        HttpResponse<Void> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://" + registry.address() + "/v2/" + repo + "/blobs/" + second.digest())).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(202);
        return second;
    }

    @Test
    void aLayerBlobMissingFromTheRegistryIsReportedBeforeAnyLayerIsRead() throws Exception {
        LayerBlob second = pushedWithoutItsSecondLayer(image(tmp, "gone", Platform.linuxAmd64()), "gone");

        assertThatThrownBy(() -> Transports.open("docker://" + registry.address() + "/gone:1", settings()))
                .isInstanceOf(InputException.class)
                .hasMessage("docker://" + registry.address() + "/gone:1: the manifest references layer 2 blob "
                        + second.digest() + ", which is missing");
        assertThat(registry.countRequests("\"GET /v2/gone/blobs/sha256:[0-9a-f]+ HTTP/1.1\" 200"))
                .as("only the config was read").isEqualTo(1);
    }

    @Test
    void openedForItsLayersLaterAnImageIsNotAskedAboutAndAMissingLayerFailsWhenRead() throws Exception {
        AssembledImage img = image(tmp, "later", Platform.linuxAmd64());
        LayerBlob second = pushedWithoutItsSecondLayer(img, "later");
        long heads = registry.countRequests("\"HEAD /v2/later/blobs/");

        String ref = "docker://" + registry.address() + "/later:1";
        try (OpenedImage h = Transports.openLayersLater((ImageReference.Registry) ImageReference.parseSource(ref), ref,
                settings())) {
            assertThat(registry.countRequests("\"HEAD /v2/later/blobs/") - heads).as("HEADs").isZero();
            assertThat(h.image().layers()).hasSize(img.blobs().size());
            // the first layer reads and verifies; the deleted one fails as it is read
            try (InputStream in = h.image().layers().get(0).openRaw()) {
                assertThat(in.readAllBytes()).hasSize((int) img.blobs().get(0).size());
            }
            assertThatThrownBy(() -> {
                try (InputStream in = h.image().layers().get(1).openRaw()) {
                    in.readAllBytes();
                }
            }).isInstanceOf(dev.distrolix.registry.RegistryException.class)
                    .hasMessageContaining(second.digest().toString()).hasMessageContaining("404");
        }
    }

    @Test
    void aBlobTheRegistryServesAlteredFailsItsLayer() throws Exception {
        AssembledImage img = image(tmp, "bent", Platform.linuxAmd64());
        push("bent:1", blobs(img), List.of(), manifest(img));
        LayerBlob plain = img.blobs().get(1);
        Path stored = registry.dir().resolve("data/docker/registry/v2/blobs/sha256/" + plain.digest().hex().substring(0, 2)
                + "/" + plain.digest().hex() + "/data");
        assertThat(stored).exists();
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.seek(1000); // inside the file's content: the tar still parses, only the hash can tell
            f.write('y');
        }
        String bent = "docker://" + registry.address() + "/bent:1";
        try (OpenedImage h = Transports.open(bent, settings())) {
            assertThatThrownBy(() -> FlatFilesystem.read(h.image())).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(bent + ": layer 2 (" + plain.digest().toString().substring(0, 19) + "…)")
                    .hasMessageContaining("hashes to");
        }
        assertThat(Files.size(stored)).isEqualTo(plain.size());
    }

    /**
     * The layers' sizes are asked for side by side; one whose HEAD keeps failing is asked as often as the retry
     * policy allows, once (not again when it is checked), and the open fails with the registry's error.
     */
    @Test
    void aLayerThatCannotBeAskedAboutIsAskedOnceAndReported() throws Exception {
        AssembledImage img = image(tmp, "heads", Platform.linuxAmd64());
        push("heads:1", blobs(img), List.of(), manifest(img));
        String layer = img.layers().get(1).digest().toString();
        try (dev.distrolix.testing.FaultProxy proxy = dev.distrolix.testing.FaultProxy.start(registry.port())) {
            proxy.inject(dev.distrolix.testing.FaultProxy.method("HEAD", "/blobs/" + layer),
                    new dev.distrolix.testing.FaultProxy.Fault.Respond(503, Map.of(), ""), 100);
            RegistrySettings twoTries = settings().withRetry(new dev.distrolix.registry.RetryPolicy(2,
                    java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(5)));
            assertThatThrownBy(() -> Transports.open("docker://" + proxy.address() + "/heads:1", twoTries).close())
                    .hasMessageContaining("503");
            assertThat(proxy.count("HEAD .*/blobs/" + layer)).isEqualTo(2);
            assertThat(proxy.count("HEAD .*/blobs/" + img.layers().get(0).digest())).isEqualTo(1);
        }
    }
}
