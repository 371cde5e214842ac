package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.Transports;
import dev.distrolix.transport.WriteResult;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to the real distribution registry and reads back with the real skopeo. */
@IntegrationTest
class RegistryPushTest {
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

    RegistrySettings settings() {
        return RegistrySettings.defaults().withBlobCacheDir(tmp.resolve("cache"));
    }

    @Test
    void pushSkopeoReadsItBackAndSecondPushUploadsNothing() throws Exception {
        AssembledImage img = TestImages.image(tmp.resolve("layers"), "smoke", 3, 200_000);
        ImageReference target = ImageReference.parse("docker://" + registry.address() + "/smoke:1,latest");
        WriteResult r = Transports.write(img, target, settings());
        assertThat(r.manifestDigest()).isEqualTo(img.manifestDigest());
        assertThat(registry.blobUploads("smoke")).isEqualTo(4);

        String inspect = Fixtures.run("skopeo", "inspect", "--tls-verify=false", "--raw",
                "docker://" + registry.address() + "/smoke:latest");
        assertThat(inspect).isEqualTo(new String(img.manifestBytes(), java.nio.charset.StandardCharsets.UTF_8));
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + registry.address() + "/smoke:1",
                "dir:" + tmp.resolve("copy"));

        long blobChecks = registry.countRequests("\"HEAD /v2/smoke/blobs/");
        long manifestPuts = registry.countRequests("\"PUT /v2/smoke/manifests/");
        List<PushEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        WriteResult again = Transports.write(img, target, settings().withListener(events::add));
        assertThat(again.manifestDigest()).isEqualTo(img.manifestDigest());
        assertThat(registry.blobUploads("smoke")).as("second push uploads nothing").isEqualTo(4);
        assertThat(registry.countRequests("\"HEAD /v2/smoke/blobs/")).as("nor asks for a blob").isEqualTo(blobChecks);
        assertThat(registry.countRequests("\"PUT /v2/smoke/manifests/")).as("nor puts a manifest").isEqualTo(manifestPuts);
        assertThat(events).filteredOn(e -> e instanceof PushEvent.Unchanged).hasSize(1);

        // one tag moved elsewhere: both tags put again; every blob is named by the first tag's manifest, so none
        // is asked for
        Transports.write(TestImages.image(tmp.resolve("other"), "other", 1, 1_000),
                ImageReference.parse("docker://" + registry.address() + "/smoke:latest"), settings());
        long putsBefore = registry.countRequests("\"PUT /v2/smoke/manifests/");
        long headsBefore = registry.countRequests("\"HEAD /v2/smoke/blobs/");
        Transports.write(img, target, settings());
        assertThat(registry.countRequests("\"HEAD /v2/smoke/blobs/")).isEqualTo(headsBefore);
        assertThat(registry.countRequests("\"PUT /v2/smoke/manifests/")).isEqualTo(putsBefore + 2);
        assertThat(registry.blobUploads("smoke")).as("the other image's 2 blobs only").isEqualTo(6);
        assertThat(Fixtures.run("skopeo", "inspect", "--tls-verify=false", "--raw",
                "docker://" + registry.address() + "/smoke:latest"))
                .isEqualTo(new String(img.manifestBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * An edit pushed over its tag: the layers the tag's manifest names are there (a registry keeps what a tagged
     * manifest names), so only the new layer and config are sent; small ones (at most 64 KiB) that that manifest does
     * not name go up without being asked for, a larger one is asked for first.
     */
    @Test
    void anEditAsksOnlyForTheBlobsTheTagDoesNotNameAlready() throws Exception {
        ImageReference target = ImageReference.parse("docker://" + registry.address() + "/edit:1");
        AssembledImage before = TestImages.image(tmp.resolve("edit-a"), "edit", 3, 50_000);
        Transports.write(before, target, settings());
        assertThat(registry.blobUploads("edit")).isEqualTo(4);
        long heads = registry.countRequests("\"HEAD /v2/edit/blobs/");

        AssembledImage after = TestImages.image(tmp.resolve("edit-b"), "edit", 3, 50_000, "edited\n");
        assertThat(after.blobs().subList(0, 3)).extracting(LayerBlob::digest)
                .isEqualTo(before.blobs().stream().map(LayerBlob::digest).toList());
        Transports.write(after, target, settings());
        assertThat(registry.countRequests("\"HEAD /v2/edit/blobs/") - heads)
                .as("the new layer and config are small: sent unasked").isZero();
        assertThat(registry.blobUploads("edit")).as("the new layer and config").isEqualTo(6);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/edit:1", tmp.resolve("edit-copy"));

        // a new large layer (70 kB, stored uncompressed) is asked for first; the edited layer is named by the tag now
        AssembledImage larger = TestImages.image(tmp.resolve("edit-c"), "edit", 3, 70_000, "edited\n");
        assertThat(larger.blobs().get(2).size()).isGreaterThan(BlobPushes.SMALL);
        heads = registry.countRequests("\"HEAD /v2/edit/blobs/");
        Transports.write(larger, target, settings());
        assertThat(registry.countRequests("\"HEAD /v2/edit/blobs/") - heads).as("the large layer's").isEqualTo(1);
        assertThat(registry.blobUploads("edit")).as("the large layer and config").isEqualTo(8);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/edit:1", tmp.resolve("edit-copy2"));
    }

    @Test
    void aSmallBlobGoesUpInItsPutALargeOneInAPatch() throws Exception {
        // two small layers and the config (each under 256 KiB), one layer of 300 kB
        AssembledImage img = TestImages.image(tmp.resolve("layers"), "sizes", 3, 300_000);
        Transports.write(img, ImageReference.parse("docker://" + registry.address() + "/sizes:1"), settings());
        assertThat(registry.blobUploads("sizes")).isEqualTo(4);
        assertThat(registry.countRequests("\"PATCH /v2/sizes/blobs/uploads/")).as("the large layer's only").isEqualTo(1);
        assertThat(registry.countRequests("\"POST /v2/sizes/blobs/uploads/ HTTP/1.1\" 202")).isEqualTo(4);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/sizes:1", tmp.resolve("copy")); // re-hashes each blob
    }

    @Test
    void aBlobLikelyNewIsSentWithoutAskingAndOneThereAlreadyDoesNoHarm() throws Exception {
        AssembledImage img = TestImages.image(tmp.resolve("layers"), "unasked", 2, 1_000);
        List<ImagePusher.Blob> blobs = new ArrayList<>();
        for (LayerBlob l : img.blobs()) {
            blobs.add(ImagePusher.Blob.likelyNew(Descriptor.of(l.mediaType(), l.digest(), l.size()),
                    BlobContent.of(l.file()), "layer"));
        }
        blobs.add(ImagePusher.Blob.of(img.configDescriptor(), BlobContent.of(img.configBytes()), "config"));
        ImagePusher.Request request = new ImagePusher.Request(RegistryRef.parse(registry.address() + "/unasked:1"),
                List.of("1"), blobs, List.of(), ManifestBytes.of(img.manifestBytes(), MediaTypes.OCI_MANIFEST));
        ImagePusher.push(request, settings());
        assertThat(registry.countRequests("\"HEAD /v2/unasked/blobs/")).as("the config's HEAD only").isEqualTo(1);
        assertThat(registry.blobUploads("unasked")).isEqualTo(3);

        // pushed again under another tag: the config is there (its HEAD says so); the layers go up again, unasked
        ImagePusher.push(new ImagePusher.Request(RegistryRef.parse(registry.address() + "/unasked:2"), List.of("2"),
                blobs, List.of(), ManifestBytes.of(img.manifestBytes(), MediaTypes.OCI_MANIFEST)), settings());
        assertThat(registry.countRequests("\"HEAD /v2/unasked/blobs/")).isEqualTo(2);
        assertThat(registry.blobUploads("unasked")).isEqualTo(5);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/unasked:2", tmp.resolve("copy"));
    }

    @Test
    void aMountThatAnswers202BecomesTheUpload() throws Exception {
        AssembledImage img = TestImages.image(tmp.resolve("layers"), "ghost", 2, 1_000);
        List<ImagePusher.Blob> blobs = new ArrayList<>();
        for (LayerBlob l : img.blobs()) {
            blobs.add(new ImagePusher.Blob(Descriptor.of(l.mediaType(), l.digest(), l.size()), BlobContent.of(l.file()),
                    "layer", List.of("nowhere/ghost")));
        }
        blobs.add(ImagePusher.Blob.of(img.configDescriptor(), BlobContent.of(img.configBytes()), "config"));
        PushResult r = ImagePusher.push(new ImagePusher.Request(RegistryRef.parse(registry.address() + "/landed:1"),
                List.of("1"), blobs, List.of(), ManifestBytes.of(img.manifestBytes(), MediaTypes.OCI_MANIFEST)), settings());
        assertThat(r.count(PushResult.Fate.UPLOADED)).isEqualTo(3);
        // the two layers: a mount from a repository without them opens an upload session, which is used
        assertThat(registry.countRequests("\"POST /v2/landed/blobs/uploads/\\?mount=\\S+ HTTP/1.1\" 202")).isEqualTo(2);
        assertThat(registry.countRequests("\"POST /v2/landed/blobs/uploads/ HTTP/1.1\" 202")).isEqualTo(1);
        assertThat(registry.blobUploads("landed")).isEqualTo(3);
    }

    @Test
    void perRegistryInsecureOptInAndLoopbackDefaults() {
        RegistrySettings s = RegistrySettings.defaults(java.util.Map.of(RegistrySettings.INSECURE_VARIABLE,
                "10.0.0.5:5000, legacy.example.com"), tmp);
        assertThat(s.transport("10.0.0.5:5000")).isEqualTo(RegistrySettings.Transport.INSECURE);
        assertThat(s.transport("legacy.example.com:443")).isEqualTo(RegistrySettings.Transport.INSECURE);
        assertThat(s.transport("10.0.0.5:5001")).isEqualTo(RegistrySettings.Transport.HTTPS);
        assertThat(s.transport("localhost:5000")).isEqualTo(RegistrySettings.Transport.HTTPS_OR_HTTP);
        assertThat(s.transport("127.0.0.1:5000")).isEqualTo(RegistrySettings.Transport.HTTPS_OR_HTTP);
        assertThat(s.transport("[::1]:5000")).isEqualTo(RegistrySettings.Transport.HTTPS_OR_HTTP);
        assertThat(s.transport("docker.io")).isEqualTo(RegistrySettings.Transport.HTTPS);
        assertThat(s.withInsecure(true).transport("docker.io")).isEqualTo(RegistrySettings.Transport.INSECURE);
    }
}
