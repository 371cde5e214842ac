package dev.distrolix.transport;

import static dev.distrolix.transport.RealTools.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.Compression;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.image.TestLayers;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private WriteResult write(AssembledImage img, Path dir, String tag) throws Exception {
        return Transports.write(img, ImageReference.parse("oci:" + dir + ":" + tag).withDefaults("distrolix/test", "latest"),
                RegistrySettings.defaults());
    }

    @IntegrationTest
    @Test
    void skopeoAndUmociAcceptTheLayout() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "a");
        Path layout = tmp.resolve("layout");
        WriteResult result = write(img, layout, "one");
        assertThat(result.where()).isEqualTo("oci:" + layout + ":one");
        assertThat(result.manifestDigest()).isEqualTo(img.manifestDigest());

        JsonNode inspect = JSON.readTree(ok("skopeo", "inspect", "oci:" + layout + ":one"));
        assertThat(inspect.get("Digest").asText()).isEqualTo(img.manifestDigest().toString());
        assertThat(inspect.get("Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(img.layers().stream().map(l -> l.digest().toString()).toList());
        assertThat(inspect.get("Created").asText()).isEqualTo("1970-01-01T00:00:01Z");

        // skopeo copy re-hashes every blob on the way; the dir: copy must hold our exact manifest
        Path copy = tmp.resolve("copy");
        ok("skopeo", "copy", "oci:" + layout + ":one", "dir:" + copy);
        assertThat(Files.readAllBytes(copy.resolve("manifest.json"))).isEqualTo(img.manifestBytes());
        assertThat(Files.readAllBytes(copy.resolve(img.configDigest().hex()))).isEqualTo(img.configBytes());

        Path bundle = tmp.resolve("bundle");
        ok("umoci", "unpack", "--image", layout + ":one", bundle.toString());
        assertThat(bundle.resolve("rootfs/app/greeting.txt")).hasContent("hi from a");
        assertThat(bundle.resolve("rootfs/nix/store/abc-hello/share/hello.txt")).hasContent("hello a");

        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode entry = index.at("/manifests/0");
        assertThat(entry.at("/annotations/org.opencontainers.image.ref.name").asText()).isEqualTo("one");
        assertThat(entry.at("/annotations/io.containerd.image.name").asText()).isEqualTo("docker.io/distrolix/test:one");
        assertThat(entry.at("/platform/architecture").asText()).isEqualTo("amd64");
        assertThat(layout.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    @Test
    void sameInputsGiveIdenticalBytes() throws Exception {
        // built twice from scratch, in different folders: nothing may depend on paths or time
        AssembledImage one = Fixtures.image(tmp.resolve("layers1"), "a");
        AssembledImage two = Fixtures.image(tmp.resolve("layers2"), "a");
        write(one, tmp.resolve("l1"), "t");
        write(two, tmp.resolve("l2"), "t");
        assertThat(Fixtures.snapshot(tmp.resolve("l2"))).isEqualTo(Fixtures.snapshot(tmp.resolve("l1")));
        assertThat(tmp.resolve("l2/index.json")).hasSameBinaryContentAs(tmp.resolve("l1/index.json"));
        assertThat(tmp.resolve("l2/blobs/sha256/" + two.manifestDigest().hex())).hasBinaryContent(one.manifestBytes());
        assertThat(tmp.resolve("l2/blobs/sha256/" + two.configDigest().hex())).hasBinaryContent(one.configBytes());

        Map<String, String> before = Fixtures.snapshot(tmp.resolve("l1"));
        write(one, tmp.resolve("l1"), "t");
        assertThat(Fixtures.snapshot(tmp.resolve("l1"))).as("rewriting the same tag").isEqualTo(before);
    }

    @IntegrationTest
    @Test
    void secondTagKeepsFirstAndReusesBlobs() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        AssembledImage b = Fixtures.image(tmp.resolve("layers"), "b");
        Path layout = tmp.resolve("layout");
        write(a, layout, "one");
        Path baseBlob = layout.resolve("blobs/sha256/" + a.layers().get(0).digest().hex());
        Object inode = Files.getAttribute(baseBlob, "unix:ino");

        write(b, layout, "two");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.get("manifests")).hasSize(2);
        assertThat(JSON.readTree(ok("skopeo", "inspect", "oci:" + layout + ":one")).get("Digest").asText())
                .isEqualTo(a.manifestDigest().toString());
        assertThat(JSON.readTree(ok("skopeo", "inspect", "oci:" + layout + ":two")).get("Digest").asText())
                .isEqualTo(b.manifestDigest().toString());

        // replacing "one" keeps its place in the index; an existing blob is not rewritten
        write(b, layout, "one");
        index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.get("manifests")).extracting(m -> m.at("/annotations/org.opencontainers.image.ref.name").asText())
                .containsExactly("one", "two");
        assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(b.manifestDigest().toString());
        assertThat(Files.getAttribute(baseBlob, "unix:ino")).isEqualTo(inode);
    }

    @IntegrationTest
    @Test
    void entriesWrittenByOtherToolsArePreserved() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        AssembledImage b = Fixtures.image(tmp.resolve("layers"), "b");
        Path layout = tmp.resolve("layout");
        write(a, layout, "one");
        ok("skopeo", "copy", "oci:" + layout + ":one", "oci:" + layout + ":by-skopeo");
        JsonNode skopeoEntry = findTag(JSON.readTree(layout.resolve("index.json").toFile()), "by-skopeo");

        write(b, layout, "two");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(findTag(index, "by-skopeo")).isEqualTo(skopeoEntry);
        ok("skopeo", "inspect", "oci:" + layout + ":by-skopeo");
        ok("umoci", "unpack", "--image", layout + ":two", tmp.resolve("bundle").toString());
    }

    @Test
    void aBuildsOwnBlobsAreLinkedAndOthersCopied() throws Exception {
        AssembledImage cached = Fixtures.image(tmp.resolve("layers"), "a");
        AssembledImage owned = cached.withOwnedFiles();
        Path copied = tmp.resolve("copied");
        Path linked = tmp.resolve("linked");
        write(cached, copied, "t");
        write(owned, linked, "t");
        assertThat(Fixtures.snapshot(linked)).isEqualTo(Fixtures.snapshot(copied));
        for (LayerBlob b : cached.blobs()) {
            Path blob = Path.of("blobs/sha256", b.digest().hex());
            // a layer cache's file is never shared with an output; the build's own file is, until its folder goes
            assertThat(Files.isSameFile(copied.resolve(blob), b.file())).isFalse();
            assertThat(Files.isSameFile(linked.resolve(blob), b.file())).isTrue();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(linked.resolve(blob)))).isEqualTo("rw-r--r--");
        }
        try (var left = Files.list(linked.resolve("blobs/sha256"))) {
            assertThat(left.map(f -> f.getFileName().toString())).allMatch(n -> n.matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void anOwnBlobThatChangedIsCopiedAndRefused() throws Exception {
        AssembledImage owned = Fixtures.image(tmp.resolve("layers"), "a").withOwnedFiles();
        Path changed = owned.blobs().get(1).file();
        Files.write(changed, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        Path layout = tmp.resolve("layout");
        assertThatThrownBy(() -> write(owned, layout, "t")).isInstanceOf(ImageOutputException.class)
                .hasMessageContaining("changed since it was built?");
        assertThat(layout).doesNotExist();
    }

    @Test
    void anOwnBlobOnAnotherFileSystemIsCopied() throws Exception {
        // /dev/shm is a tmpfs of its own on Linux: no hard link reaches the test's folder from there
        Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "distrolix-test-");
        try {
            AssembledImage owned = Fixtures.image(shm, "a").withOwnedFiles();
            Path layout = tmp.resolve("layout");
            write(owned, layout, "t");
            for (LayerBlob b : owned.blobs()) {
                Path blob = layout.resolve("blobs/sha256").resolve(b.digest().hex());
                assertThat(Files.isSameFile(blob, b.file())).isFalse();
                assertThat(blob).hasSameBinaryContentAs(b.file());
            }
            write(Fixtures.image(tmp.resolve("l"), "a"), tmp.resolve("plain"), "t");
            assertThat(Fixtures.snapshot(layout)).isEqualTo(Fixtures.snapshot(tmp.resolve("plain")));
        } finally {
            dev.distrolix.FileTrees.deleteTree(shm);
        }
    }

    /** A layout holding one image, tagged "one". */
    private Path layoutOfOneImage() throws Exception {
        Path layout = tmp.resolve("layout");
        write(Fixtures.image(tmp.resolve("layers-a"), "a"), layout, "one");
        return layout;
    }

    @Test
    void failedWriteLeavesLayoutByteIdentical() throws Exception {
        Path layout = layoutOfOneImage();
        Map<String, String> before = Fixtures.snapshot(layout);

        AssembledImage b = Fixtures.image(tmp.resolve("layers-b"), "b");
        Files.delete(b.blobs().get(1).file());
        assertThatThrownBy(() -> write(b, layout, "two"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("layer blob " + b.blobs().get(1).file() + " is missing");
        // the first layer of b was already placed when the second failed: it must be gone again
        assertThat(Fixtures.snapshot(layout)).isEqualTo(before);

        Path fresh = tmp.resolve("new/deeper/layout");
        assertThatThrownBy(() -> write(b, fresh, "two")).isInstanceOf(ImageOutputException.class);
        assertThat(tmp.resolve("new")).doesNotExist();
    }

    @Test
    void blobsPlacedSideBySideAreAllTakenBackWhenOneFails() throws Exception {
        Path layout = layoutOfOneImage();
        Map<String, String> before = Fixtures.snapshot(layout);
        // 40 layers, placed several at a time: the one that fails is in the middle, others are placed around it
        List<LayerBlob> layers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            layers.add(TestLayers.gzipLayer(tmp.resolve("many"), "l" + i, Map.of("f" + i, "layer " + i + "\n")));
        }
        AssembledImage many = Fixtures.image(layers, "many");
        Path damaged = layers.get(20).file();
        Files.write(damaged, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> write(many, layout, "two")).isInstanceOf(ImageOutputException.class)
                .hasMessageContaining("(l20.tar.gzip) is larger than the expected");
        assertThat(Fixtures.snapshot(layout)).isEqualTo(before);

        Files.write(damaged, java.util.Arrays.copyOf(Files.readAllBytes(damaged), (int) Files.size(damaged) - 1));
        write(many, layout, "two");
        for (LayerBlob b : layers) {
            assertThat(layout.resolve("blobs/sha256").resolve(b.digest().hex())).hasSameBinaryContentAs(b.file());
        }
    }

    @IntegrationTest
    @Test
    void unwritableFolderIsOneClearLine() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Path layout = tmp.resolve("layout");
        write(a, layout, "one");
        Map<String, String> before = Fixtures.snapshot(layout);
        AssembledImage b = Fixtures.image(tmp.resolve("layers"), "b");
        // root ignores mode bits, but not the immutable attribute
        ok("chattr", "+i", locked.toString());
        ok("chattr", "+i", layout.toString());
        try {
            assertThatThrownBy(() -> write(a, locked.resolve("out"), "one"))
                    .isInstanceOf(ImageOutputException.class)
                    .hasMessage("cannot write to " + locked.resolve("out") + ": permission denied");
            // blobs/sha256 is writable, the layout root is not: new blobs must be removed again
            assertThatThrownBy(() -> write(b, layout, "two"))
                    .isInstanceOf(ImageOutputException.class)
                    .hasMessage("cannot write to " + layout + ": permission denied");
        } finally {
            ok("chattr", "-i", locked.toString());
            ok("chattr", "-i", layout.toString());
        }
        assertThat(Fixtures.snapshot(layout)).isEqualTo(before);
        assertThat(locked).isEmptyDirectory();
    }

    @Test
    void pathThroughARegularFile() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertThatThrownBy(() -> write(a, file.resolve("layout"), "one"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("cannot write to " + file.resolve("layout") + ": a part of the path is not a directory");
        assertThatThrownBy(() -> write(a, file, "one"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("cannot write to " + file + ": it exists and is not a directory");
    }

    @Test
    void refusesAFolderThatIsNotALayout() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        Path dir = Files.createDirectories(tmp.resolve("stuff"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> write(a, dir, "one"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessageContaining("not an OCI image layout");
        assertThat(Fixtures.snapshot(dir)).containsOnlyKeys("", "notes.txt");
    }

    @IntegrationTest
    @Test
    void diskFullLeavesNothingBehind() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        ok("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString());
        try {
            AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
            Path layout = small.resolve("layout");
            write(a, layout, "one");
            Map<String, String> before = Fixtures.snapshot(layout);

            // incompressible 400 KiB layer on a disk with less: refused before anything is written
            byte[] noise = new byte[400 * 1024];
            new Random(42).nextBytes(noise);
            Path big = Files.write(tmp.resolve("big.tar"), noise);
            Digest d = Digest.sha256(noise);
            AssembledImage huge = Fixtures.image(List.of(new LayerBlob(big, d, noise.length, d, noise.length,
                    Compression.NONE)), "big");
            assertThatThrownBy(() -> write(huge, layout, "two"))
                    .isInstanceOf(ImageOutputException.class)
                    .hasMessageMatching("not enough free space in " + java.util.regex.Pattern.quote(layout.toString())
                            + ": the image needs \\d+ bytes, \\d+ are free");
            assertThat(Fixtures.snapshot(layout)).isEqualTo(before);
        } finally {
            ok("umount", small.toString());
        }
    }

    private static JsonNode findTag(JsonNode index, String tag) {
        List<JsonNode> found = new ArrayList<>();
        index.get("manifests").forEach(m -> {
            if (tag.equals(m.at("/annotations/org.opencontainers.image.ref.name").asText())) {
                found.add(m);
            }
        });
        assertThat(found).as("entries tagged " + tag).hasSize(1);
        return found.get(0);
    }
}
