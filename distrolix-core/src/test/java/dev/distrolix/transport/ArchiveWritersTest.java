package dev.distrolix.transport;

import static dev.distrolix.transport.RealTools.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.TestLayers;
import dev.distrolix.blob.Compression;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.testing.IntegrationTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<String> loaded = new ArrayList<>();
    private final String repo = "distrolix-test/archive-" + Fixtures.uniqueSuffix();

    @AfterEach
    void removeLoadedImages() throws Exception {
        RealTools.podmanRmi(loaded.toArray(String[]::new));
    }

    @IntegrationTest
    @Test
    void ociArchiveIsAcceptedBySkopeoAndPodman() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "a");
        Path file = tmp.resolve("out/image.oci.tar");
        WriteResult r = Transports.write(img, ImageReference.parse("oci-archive:" + file + ":v1").withDefaults(repo, "latest"),
                RegistrySettings.defaults());
        assertThat(r.where()).isEqualTo("oci-archive:" + file + ":v1");

        JsonNode inspect = JSON.readTree(ok("skopeo", "inspect", "oci-archive:" + file));
        assertThat(inspect.get("Digest").asText()).isEqualTo(img.manifestDigest().toString());
        ok("skopeo", "copy", "oci-archive:" + file + ":v1", "dir:" + tmp.resolve("copy"));

        String fullName = "docker.io/" + repo + ":v1"; // podman names it by io.containerd.image.name
        loaded.add(fullName);
        assertThat(ok("podman", "load", "-i", file.toString())).contains("Loaded image: " + fullName);
        assertLoaded(fullName, img);
        assertThat(entryNames(file)).containsExactly("blobs/", "blobs/sha256/",
                "blobs/sha256/" + sortedBlobNames(img).get(0), "blobs/sha256/" + sortedBlobNames(img).get(1),
                "blobs/sha256/" + sortedBlobNames(img).get(2), "blobs/sha256/" + sortedBlobNames(img).get(3),
                "index.json", "oci-layout");
    }

    @IntegrationTest
    @Test
    void dockerArchiveIsAcceptedBySkopeoAndPodman() throws Exception {
        AssembledImage img = Fixtures.image(tmp.resolve("layers"), "b");
        Path file = tmp.resolve("image.docker.tar");
        String name = repo + ":v2";
        WriteResult r = Transports.write(img, ImageReference.parse("docker-archive:" + file + ":" + name),
                RegistrySettings.defaults());
        assertThat(r.where()).isEqualTo("docker-archive:" + file + ":" + name);

        // skopeo's docker-archive reader goes through manifest.json and the uncompressed layers
        JsonNode inspect = JSON.readTree(ok("skopeo", "inspect", "docker-archive:" + file));
        assertThat(inspect.get("Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(img.config().diffIds().stream().map(Digest::toString).toList());
        ok("skopeo", "copy", "docker-archive:" + file, "oci:" + tmp.resolve("fromdocker") + ":x");

        Map<String, byte[]> files = contents(file);
        assertThat(new String(files.get("manifest.json"))).isEqualTo("[{\"Config\":\"blobs/sha256/"
                + img.configDigest().hex() + "\",\"RepoTags\":[\"" + name + "\"],\"Layers\":[\"blobs/sha256/"
                + img.layers().get(0).diffId().hex() + "\",\"blobs/sha256/" + img.layers().get(1).diffId().hex() + "\"]}]");
        assertThat(new String(files.get("repositories"))).isEqualTo("{\"" + repo + "\":{\"v2\":\""
                + img.layers().get(1).diffId().hex() + "\"}}");
        for (LayerBlob l : img.blobs()) {
            assertThat(Digest.sha256(files.get("blobs/sha256/" + l.diffId().hex()))).isEqualTo(l.diffId());
            assertThat(Digest.sha256(files.get("blobs/sha256/" + l.digest().hex()))).isEqualTo(l.digest());
        }

        // podman load prefers the OCI index in the archive; podman pull docker-archive: forces manifest.json
        String fullName = "docker.io/" + name;
        loaded.add(fullName);
        assertThat(ok("podman", "load", "-i", file.toString())).contains("Loaded image: " + fullName);
        assertLoaded(fullName, img);
        String classic = "localhost/" + repo + ":classic";
        loaded.add(classic);
        ok("podman", "rmi", fullName);
        ok("podman", "pull", "docker-archive:" + file);
        ok("podman", "tag", "localhost/" + name, classic);
        loaded.add("localhost/" + name);
        JsonNode viaManifestJson = JSON.readTree(ok("podman", "image", "inspect", classic)).get(0);
        assertThat(viaManifestJson.get("Id").asText()).isEqualTo(img.imageId().hex());
        assertThat(viaManifestJson.at("/RootFS/Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(img.config().diffIds().stream().map(Digest::toString).toList());
    }

    @IntegrationTest
    @Test
    void zstdAndUncompressedLayersInADockerArchive() throws Exception {
        LayerBlob plain = TestLayers.layer(tmp.resolve("layers"), "plain", Map.of("p/x", "plain"), Compression.NONE);
        LayerBlob zstd = TestLayers.layer(tmp.resolve("layers"), "z", Map.of("z/y", "zstd"), Compression.ZSTD);
        AssembledImage img = Fixtures.image(List.of(plain, zstd), "mixed");
        Path file = tmp.resolve("mixed.tar");
        DockerArchiveWriter.write(img, file, new ImageName(repo, "mixed"));

        // the uncompressed layer is stored once: its digest is its diff_id
        assertThat(entryNames(file).stream().filter(n -> n.startsWith("blobs/sha256/") && n.length() > 13)).hasSize(5);
        JsonNode inspect = JSON.readTree(ok("skopeo", "inspect", "docker-archive:" + file));
        assertThat(inspect.get("Layers")).extracting(JsonNode::asText)
                .containsExactly(plain.diffId().toString(), zstd.diffId().toString());
        String fullName = "docker.io/" + repo + ":mixed";
        loaded.add(fullName);
        ok("podman", "load", "-i", file.toString());
        assertLoaded(fullName, img);
    }

    @Test
    void sameInputsGiveIdenticalArchives() throws Exception {
        AssembledImage one = Fixtures.image(tmp.resolve("layers1"), "a");
        AssembledImage two = Fixtures.image(tmp.resolve("layers2"), "a");
        ImageName name = new ImageName(repo, "1");
        OciArchiveWriter.write(one, tmp.resolve("o1.tar"), "1", name);
        OciArchiveWriter.write(two, tmp.resolve("o2.tar"), "1", name);
        DockerArchiveWriter.write(one, tmp.resolve("d1.tar"), name);
        DockerArchiveWriter.write(two, tmp.resolve("d2.tar"), name);
        assertThat(Fixtures.sha256(tmp.resolve("o2.tar"))).isEqualTo(Fixtures.sha256(tmp.resolve("o1.tar")));
        assertThat(Fixtures.sha256(tmp.resolve("d2.tar"))).isEqualTo(Fixtures.sha256(tmp.resolve("d1.tar")));
        // the oci-archive holds the same bytes as an oci: layout written from the same image
        OciLayoutWriter.write(one, tmp.resolve("layout"), "1", name);
        Map<String, byte[]> archived = contents(tmp.resolve("o1.tar"));
        assertThat(archived.get("index.json")).isEqualTo(Files.readAllBytes(tmp.resolve("layout/index.json")));
        TarArchiveEntry first = firstEntry(tmp.resolve("d1.tar"));
        assertThat(first.getModTime().getTime()).isEqualTo(1000L);
        assertThat(first.getLongUserId()).isZero();
        assertThat(first.getUserName()).isEqualTo("root");
    }

    @Test
    void failedWriteLeavesOldArchiveAndNoTempFiles() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers-a"), "a");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path oci = out.resolve("img.oci.tar");
        Path docker = out.resolve("img.docker.tar");
        ImageName name = new ImageName(repo, "1");
        OciArchiveWriter.write(a, oci, "1", name);
        DockerArchiveWriter.write(a, docker, name);
        Map<String, String> before = Fixtures.snapshot(out);

        AssembledImage b = Fixtures.image(tmp.resolve("layers-b"), "b");
        Files.delete(b.blobs().get(1).file());
        assertThatThrownBy(() -> OciArchiveWriter.write(b, oci, "1", name))
                .isInstanceOf(ImageOutputException.class).hasMessageEndingWith(" is missing");
        assertThatThrownBy(() -> DockerArchiveWriter.write(b, docker, name))
                .isInstanceOf(ImageOutputException.class).hasMessageEndingWith(" is missing");
        assertThat(Fixtures.snapshot(out)).isEqualTo(before);
        assertThatThrownBy(() -> OciArchiveWriter.write(b, tmp.resolve("new/dir/x.tar"), "1", name))
                .isInstanceOf(ImageOutputException.class);
        assertThat(tmp.resolve("new")).doesNotExist();
    }

    @Test
    void wrongDiffIdFailsTheDockerArchive() throws Exception {
        AssembledImage good = Fixtures.image(tmp.resolve("layers"), "a");
        LayerBlob l = good.blobs().get(0);
        Digest bogus = Digest.sha256(new byte[] {1});
        LayerBlob lying = new LayerBlob(l.file(), l.digest(), l.size(), bogus, l.uncompressedSize(), l.compression());
        AssembledImage img = Fixtures.image(List.of(lying), "x");
        Path file = tmp.resolve("x.tar");
        // the layer is named by its label, which names the blob's file
        String label = img.layers().get(0).label();
        assertThat(label).contains(l.file().getFileName().toString());
        assertThatThrownBy(() -> DockerArchiveWriter.write(img, file, new ImageName(repo, "1")))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("uncompressed content of " + label + " has digest " + l.diffId() + ", expected "
                        + bogus + " (changed since it was built?)");
        assertThat(tmp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("x.tar"));
    }

    @Test
    void aChangedLayerFileIsCaught() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        LayerBlob l = a.blobs().get(0);
        String label = a.layers().get(0).label();
        assertThat(label).contains(l.file().getFileName().toString());
        byte[] bytes = Files.readAllBytes(l.file());
        bytes[bytes.length - 1] ^= 1; // same size, other content: only the digest check notices
        Files.write(l.file(), bytes);
        assertThatThrownBy(() -> OciArchiveWriter.write(a, tmp.resolve("x.tar"), "t", null))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage(label + " has digest " + Digest.sha256(bytes) + ", expected "
                        + l.digest() + " (changed since it was built?)");
        assertThat(tmp.resolve("x.tar")).doesNotExist();
    }

    @IntegrationTest
    @Test
    void unwritableFolder() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        ok("chattr", "+i", locked.toString());
        try {
            assertThatThrownBy(() -> Transports.write(a, ImageReference.parse("docker-archive:" + locked.resolve("x.tar") + ":a:1"),
                    RegistrySettings.defaults()))
                    .isInstanceOf(ImageOutputException.class)
                    .hasMessage("cannot write to " + locked + ": permission denied");
        } finally {
            ok("chattr", "-i", locked.toString());
        }
        assertThat(locked).isEmptyDirectory();
        Path dir = Files.createDirectories(tmp.resolve("a-dir.tar"));
        assertThatThrownBy(() -> OciArchiveWriter.write(a, dir, "t", null))
                .isInstanceOf(ImageOutputException.class).hasMessage("cannot write " + dir + ": it is a directory");
    }

    private void assertLoaded(String name, AssembledImage img) throws Exception {
        assertThat(ok("podman", "images", "--format", "{{.Repository}}:{{.Tag}}")).contains(name);
        JsonNode inspect = JSON.readTree(ok("podman", "image", "inspect", name)).get(0);
        assertThat(inspect.get("Id").asText()).isEqualTo(img.imageId().hex());
        assertThat(inspect.get("Digest").asText()).isEqualTo(img.manifestDigest().toString());
        assertThat(inspect.at("/RootFS/Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(img.config().diffIds().stream().map(Digest::toString).toList());
    }

    private static List<String> sortedBlobNames(AssembledImage img) {
        List<String> names = new ArrayList<>();
        img.layers().forEach(l -> names.add(l.digest().hex()));
        names.add(img.configDigest().hex());
        names.add(img.manifestDigest().hex());
        names.sort(null);
        return names;
    }

    static List<String> entryNames(Path tar) throws Exception {
        return new ArrayList<>(contents(tar).keySet());
    }

    static Map<String, byte[]> contents(Path tar) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                out.put(e.getName(), t.readAllBytes());
            }
        }
        return out;
    }

    private static TarArchiveEntry firstEntry(Path tar) throws Exception {
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            return t.getNextEntry();
        }
    }
}
