package dev.distrolix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import dev.distrolix.inspect.Detectors;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.ImageReport;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference.Daemon;
import dev.distrolix.transport.ImageReference.DockerArchive;
import dev.distrolix.transport.ImageReference.Engine;
import dev.distrolix.transport.ImageReference.OciLayout;
import dev.distrolix.transport.TestLayouts.Tar;
import dev.distrolix.transport.TestLayouts.Zip;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reader's rules on hand-made images: layers, whiteouts, media types, digests, hostile entries. */
class ImageReaderTest {
    @TempDir
    Path tmp;

    static final String ZLIB = "/nix/store/zjzhy1vhwnba7y305i7rkh7sqr64jzbk-zlib-1.2.13";

    static List<byte[]> twoLayers() throws IOException {
        byte[] base = new Tar()
                .dir("etc", 0755).file("etc/a", "a").file("etc/b", "bee")
                .dir("opt", 0755).dir("opt/x", 0755).file("opt/x/1", "1").file("opt/x/2", "2")
                .dir("var", 0755).dir("var/dir", 0755).file("var/dir/f", "f")
                .dir("bin", 0755).file("bin/su", "su", 04755, 0, 0).hardlink("bin/su2", "bin/su")
                .symlink("bin/sh", "busybox").file("bin/busybox", "bb", 0755, 0, 0)
                .dir("nix/store/zjzhy1vhwnba7y305i7rkh7sqr64jzbk-zlib-1.2.13/lib", 0555)
                .file(ZLIB.substring(1) + "/lib/libz.so.1", "0123456789", 0555, 0, 0)
                .bytes();
        byte[] top = new Tar()
                .file("etc/.wh.a", "")
                .file("opt/x/.wh..wh..opq", "").file("opt/x/3", "3")
                .file("var/dir", "now a file", 0600, 1000, 1000)
                .file("usr/bin/apt-get", "apt", 0755, 0, 0).file("etc/cron.daily/dpkg", "x", 0755, 0, 0)
                .bytes();
        return List.of(base, top);
    }

    static FlatFilesystem read(String ref) throws IOException {
        try (OpenedImage o = open(ref)) {
            return FlatFilesystem.read(o.image());
        }
    }

    static OpenedImage open(String ref) throws IOException {
        return Transports.open(ref, RegistrySettings.defaults());
    }

    /** The start of a message about layer {@code n} (1-based) of the image {@code ref}. */
    static String layerLabel(String ref, int n) {
        return Pattern.quote(ref + ": layer " + n + " (") + "sha256:[0-9a-f]{12}" + Pattern.quote("…)");
    }

    @ParameterizedTest
    @CsvSource({"GZIP,false", "ZSTD,false", "NONE,false", "GZIP,true", "NONE,true"})
    void flattensWithWhiteoutsOpaqueDirsAndFileOverDirectory(Zip zip, boolean docker) throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), zip, docker);
        FlatFilesystem fs = read("oci:" + layout);
        assertThat(fs.entries().stream().map(FsEntry::path)).containsExactly(
                "/bin", "/bin/busybox", "/bin/sh", "/bin/su", "/bin/su2",
                "/etc", "/etc/b", "/etc/cron.daily/dpkg",
                "/nix/store/zjzhy1vhwnba7y305i7rkh7sqr64jzbk-zlib-1.2.13/lib",
                ZLIB + "/lib/libz.so.1",
                "/opt", "/opt/x", "/opt/x/3", "/usr/bin/apt-get", "/var", "/var/dir");
        FsEntry varDir = fs.get("/var/dir");
        assertThat(varDir.type()).isEqualTo(FsEntry.Type.FILE);
        assertThat(varDir.layer()).isEqualTo(1);
        assertThat(varDir.uid()).isEqualTo(1000);
        assertThat(varDir.modeString()).isEqualTo("-rw-------");
        assertThat(varDir.sha256()).isEqualTo(Digest.sha256("now a file".getBytes()));
        FsEntry su = fs.get("/bin/su");
        assertThat(su.isSetuid()).isTrue();
        assertThat(su.modeString()).isEqualTo("-rwsr-xr-x");
        assertThat(fs.get("/bin/su2").type()).isEqualTo(FsEntry.Type.HARDLINK);
        assertThat(fs.get("/bin/su2").linkTarget()).isEqualTo("/bin/su");
        assertThat(fs.get("/bin/su2").sha256()).isEqualTo(su.sha256());
        assertThat(fs.get("/bin/sh").linkTarget()).isEqualTo("busybox");
        assertThat(fs.layers()).hasSize(2);
        assertThat(fs.layers().get(0).storePaths()).containsExactly(ZLIB.substring("/nix/store/".length()));
        assertThat(fs.layers().get(1).storePaths()).isEmpty();
        assertThat(fs.layers().get(0).compression().name()).isEqualTo(zip.name());
        assertThat(fs.layers().get(0).uncompressedSize()).isEqualTo(twoLayers().get(0).length);
    }

    @Test
    void storePathsAndDetectors() throws IOException {
        FlatFilesystem fs = read("oci:" + TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false));
        StorePathIndex index = StorePathIndex.of(fs);
        assertThat(index.entries()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("zlib");
            assertThat(e.version()).isEqualTo("1.2.13");
            assertThat(e.size()).isEqualTo(10);
            assertThat(e.files()).isEqualTo(2);
            assertThat(e.layer()).isZero();
            assertThat(e.share()).isEqualTo(10.0 / fs.totalFileBytes());
        });
        Detectors.Findings f = Detectors.scan(fs);
        assertThat(Detectors.Findings.names(f.shells())).containsExactly("busybox", "sh");
        assertThat(f.packageManagers().stream().map(FsEntry::path)).containsExactly("/usr/bin/apt-get");
        assertThat(f.setuid().stream().map(FsEntry::path)).containsExactly("/bin/su");
    }

    @Test
    void legacyDockerArchiveReadsLikeTheLayout() throws IOException {
        Path archive = TestLayouts.legacyDockerArchive(tmp.resolve("legacy.tar"), twoLayers(), "legacy/app:1");
        try (OpenedImage h = open("docker-archive:" + archive)) {
            Image img = h.image();
            // no image manifest in the archive: the reader made one, so it has no digest of its own
            assertThat(img.sourceDigest()).isNull();
            assertThat(img.converted()).isTrue();
            assertThat(h.names()).containsExactly("legacy/app:1");
            assertThat(img.config().config().cmd()).containsExactly("/bin/app");
            assertThat(img.config().config().user()).isEqualTo("1000");
            assertThat(((StoredLayer) img.layers().get(0)).path()).endsWith("/layer.tar");
            assertThat(img.layers().get(0).digest()).isEqualTo(img.layers().get(0).diffId());
            FlatFilesystem fs = FlatFilesystem.read(img);
            FlatFilesystem oci = read("oci:" + TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false));
            assertThat(fs.entries()).containsExactlyElementsOf(oci.entries());
        }
        // a bare path is sniffed; NAME:TAG selects by RepoTags
        assertThat(read(archive.toString()).size()).isEqualTo(16);
        assertThat(read("docker-archive:" + archive + ":legacy/app:1").size()).isEqualTo(16);
        assertThatThrownBy(() -> read("docker-archive:" + archive + ":other:2"))
                .isInstanceOf(InputException.class).hasMessageContaining("no image named 'other:2' (names: legacy/app:1)");
    }

    @Test
    void tagSelectsAndAMissingTagNamesTheTags() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false);
        assertThat(read("oci:" + layout + ":test").size()).isEqualTo(16);
        assertThatThrownBy(() -> read("oci:" + layout + ":nope"))
                .isInstanceOf(InputException.class).hasMessage("oci:" + layout + ":nope: no image tagged 'nope' (tags: test)");
    }

    /** Replaces the blob of layer {@code i} with other bytes under the same name. */
    private static Path blobOfLayer(Path layout, int i) throws IOException {
        try (OpenedImage h = open("oci:" + layout)) {
            return layout.resolve(((StoredLayer) h.image().layers().get(i)).path());
        }
    }

    @Test
    void aLayerWhoseBytesDoNotMatchItsDigestIsNamed() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.NONE, false);
        Path blob = blobOfLayer(layout, 1);
        byte[] b = Files.readAllBytes(blob);
        b[600] ^= 1; // inside the first file's content: still a valid tar
        Files.write(blob, b);
        assertThatThrownBy(() -> read("oci:" + layout)).isInstanceOf(InputException.class)
                .hasMessageMatching(layerLabel("oci:" + layout, 2) + ": blob digest mismatch: its content is sha256:[0-9a-f]{64}");
    }

    @Test
    void aDiffIdMismatchIsNamed() throws IOException {
        List<byte[]> layers = twoLayers();
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), layers,
                List.of(layers.get(0), new Tar().file("x", "y").bytes()), Zip.GZIP, false);
        assertThatThrownBy(() -> read("oci:" + layout)).isInstanceOf(InputException.class)
                .hasMessageMatching(layerLabel("oci:" + layout, 2) + ": diff_id mismatch: the config says sha256:[0-9a-f]{64}"
                        + ", the uncompressed content is sha256:[0-9a-f]{64}");
    }

    @Test
    void aTruncatedBlobIsNamed() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false);
        Path blob = blobOfLayer(layout, 0);
        byte[] b = Files.readAllBytes(blob);
        Files.write(blob, Arrays.copyOf(b, b.length / 2));
        // its size tells before any byte is read (the corrupt gzip of a blob the right size: HostileCorpus)
        assertThatThrownBy(() -> open("oci:" + layout)).isInstanceOf(InputException.class)
                .hasMessageMatching(layerLabel("oci:" + layout, 1) + ": blob is " + b.length / 2 + " bytes, the manifest says "
                        + b.length);
    }

    @Test
    void aMissingBlobIsReportedWhenOpening() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false);
        Path blob = blobOfLayer(layout, 1);
        Files.delete(blob);
        assertThatThrownBy(() -> open("oci:" + layout)).isInstanceOf(InputException.class)
                .hasMessage("oci:" + layout + ": the manifest references layer 2 blob sha256:" + blob.getFileName()
                        + ", which is missing");
    }

    @Test
    void pathTraversalIsRefusedAndSymlinksAboveTheRootAreReadAsTheRuntimeReadsThem() throws IOException {
        Path dots = TestLayouts.ociLayout(tmp.resolve("dots"), List.of(new Tar().file("etc/../../evil", "x").bytes()),
                Zip.GZIP, false);
        assertThatThrownBy(() -> read("oci:" + dots)).isInstanceOf(InputException.class)
                .hasMessageMatching(layerLabel("oci:" + dots, 1) + ": entry 'etc/../../evil' has a '\\.\\.' component \\(path traversal\\)");
        Path link = TestLayouts.ociLayout(tmp.resolve("link"),
                List.of(new Tar().symlink("etc/shadow", "../../../etc/shadow").bytes()), Zip.GZIP, false);
        // runc and umoci clamp such a target at the root; nothing here follows it on the host
        assertThat(read("oci:" + link).get("/etc/shadow").linkTarget()).isEqualTo("../../../etc/shadow");
        Path abs = TestLayouts.ociLayout(tmp.resolve("abs"),
                List.of(new Tar().symlink("x", "/../etc/passwd").bytes()), Zip.GZIP, false);
        assertThat(read("oci:" + abs).get("/x").linkTarget()).isEqualTo("/../etc/passwd");
        Path fine = TestLayouts.ociLayout(tmp.resolve("fine"), List.of(new Tar().symlink("bin/sh", ZLIB + "/bin/sh")
                .symlink("lib/x/y", "../../usr/lib/y").symlink("etc/passwd", "/etc/shadow").bytes()), Zip.GZIP, false);
        assertThat(read("oci:" + fine).get("/bin/sh").linkTarget()).isEqualTo(ZLIB + "/bin/sh");
    }

    @Test
    void aTruncatedArchiveIsAnInputError() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false);
        Tar t = new Tar();
        try (var files = Files.walk(layout)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                t.rawFile(layout.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        byte[] whole = t.bytes();
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
        assertThatThrownBy(() -> read("oci-archive:" + cut)).isInstanceOf(InputException.class)
                .hasMessageStartingWith("oci-archive:" + cut + ": ");
        Files.write(tmp.resolve("whole.tar"), whole);
        assertThat(read("oci-archive:" + tmp.resolve("whole.tar")).size()).isEqualTo(16);
    }

    @Test
    void referenceForms() {
        assertThat(ImageReference.parseSource("oci:/a/b:1.0")).isEqualTo(new OciLayout(Path.of("/a/b"), "1.0", null));
        assertThat(ImageReference.parseSource("docker-archive:x.tar:app:1"))
                .isEqualTo(new DockerArchive(Path.of("x.tar"), "app", "1"));
        assertThat(ImageReference.parseSource("podman:localhost/app:1"))
                .isEqualTo(new Daemon(Engine.PODMAN, "localhost/app", "1"));
        ImageReference hub = ImageReference.parseSource("docker://nginx");
        assertThat(hub).isInstanceOf(ImageReference.Registry.class);
        assertThat(((ImageReference.Registry) hub).ref()).isEqualTo(RegistryRef.parse("docker.io/library/nginx"));
        assertThat(((ImageReference.Registry) ImageReference.parseSource("docker://127.0.0.1:5000/a/b:1")).ref())
                .isEqualTo(new RegistryRef("127.0.0.1:5000", "a/b", "1", null));
        assertThatThrownBy(() -> ImageReference.parseSource("docker://h.io/UPPER:1")).isInstanceOf(InputException.class)
                .hasMessage("invalid image reference 'docker://h.io/UPPER:1': invalid repository name 'UPPER' "
                        + "(lowercase [a-z0-9._-] components separated by '/') (expected " + ImageReference.FORMS + ")");
        assertThatThrownBy(() -> ImageReference.parseSource("nosuch/thing")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("'nosuch/thing': no such image (expected oci:DIR");
        assertThatThrownBy(() -> open("oci:/nonexistent/layout")).isInstanceOf(InputException.class)
                .hasMessage("oci:/nonexistent/layout: no such directory");
    }

    @Test
    void storeReferencesAreMaskedAcrossChunkBoundaries() {
        String a = "include /nix/store/s5b7qq80dxyh4cy0jy2jc2lx8xj8whkk-nginx-1.22.1/etc/mime.types; /nix/store/short";
        String b = "include /nix/store/ylxgm64b5ra3wpn1pq8ppz6cpw8i2rsx-nginx-1.22.1/etc/mime.types; /nix/store/short";
        assertThat(masked(a, 1)).isEqualTo(masked(b, 7)).isEqualTo(masked(a, 1000)).isNotNull();
        assertThat(masked("no references /nix/stor", 3)).isNull();
        assertThat(masked(a.replace("nginx-1.22.1", "nginx-1.22.2"), 5)).isNotEqualTo(masked(a, 5));
    }

    /**
     * Against a regular expression's replacement, on text made of prefix fragments, hashes and other bytes, longer
     * than the masker's 8 kB buffer: every chunking gives the digest of the text with each hash made 'x's.
     */
    @Test
    void storeReferencesAreMaskedAsARegularExpressionWould() {
        String nix32 = "0123456789abcdfghijklmnpqrsvwxyz";
        String[] pieces = {"/nix/store/", "/nix/", "/nix/nix/store/", "/", "nix", "-nginx ", "e", "u\n"};
        java.util.Random random = new java.util.Random(12);
        java.util.regex.Pattern hash = java.util.regex.Pattern.compile("/nix/store/[" + nix32 + "]{32}");
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int target = round % 2 == 0 ? random.nextInt(200) : 8_000 + random.nextInt(12_000);
            while (text.length() < target) {
                if (random.nextInt(3) == 0) {
                    int n = random.nextInt(3) == 0 ? 32 : random.nextInt(40);
                    for (int i = 0; i < n; i++) {
                        text.append(nix32.charAt(random.nextInt(nix32.length())));
                    }
                } else {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
            }
            String s = text.toString();
            java.util.regex.Matcher m = hash.matcher(s);
            Digest expected = m.find()
                    ? Digest.sha256(m.replaceAll("/nix/store/" + "x".repeat(32)).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    : null;
            for (int chunk : new int[] {1, 7, 8191, 1 << 16}) {
                assertThat(masked(s, chunk)).as("round %d, chunks of %d", round, chunk).isEqualTo(expected);
            }
        }
    }

    /**
     * Feeds {@code s} to {@code dev.distrolix.inspect.StoreRefMasker} (package-private there) in
     * chunks of {@code chunk} bytes, through reflection since this test now lives in the transport package.
     */
    private static Digest masked(String s, int chunk) {
        try {
            Class<?> c = Class.forName("dev.distrolix.inspect.StoreRefMasker");
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            Object m = ctor.newInstance();
            var update = c.getDeclaredMethod("update", byte[].class, int.class, int.class);
            update.setAccessible(true);
            var finish = c.getDeclaredMethod("finish");
            finish.setAccessible(true);
            byte[] b = s.getBytes();
            for (int i = 0; i < b.length; i += chunk) {
                update.invoke(m, b, i, Math.min(chunk, b.length - i));
            }
            return (Digest) finish.invoke(m);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReportReadsEachLayerBlobExactlyOnceAndToTheEnd() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, false);
        java.util.Map<String, Long> bytesRead = new java.util.TreeMap<>();
        java.util.Map<String, Integer> opens = new java.util.TreeMap<>();
        try (OpenedImage h = open("oci:" + layout)) {
            Image img = h.image();
            Image counted = new CountingImage(img, layer -> {
                String location = layer.digest().toString();
                opens.merge(location, 1, Integer::sum);
                return new java.io.FilterInputStream(layer.openRaw()) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        bytesRead.merge(location, (long) Math.max(n, 0), Long::sum);
                        return n;
                    }
                };
            });
            ImageReport report = ImageReport.of("oci:" + layout, h.names(), counted);
            assertThat(opens.values()).containsOnly(1).hasSize(2);
            for (Layer l : img.layers()) {
                assertThat(bytesRead.get(l.digest().toString())).isEqualTo(l.size());
            }
            assertThat(report.compressedSize()).isEqualTo(img.layers().stream().mapToLong(Layer::size).sum());
        }
    }

    @Test
    void mediaTypeOfADockerLayerIsKept() throws IOException {
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), twoLayers(), Zip.GZIP, true);
        try (OpenedImage h = open("oci:" + layout)) {
            assertThat(h.image().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            assertThat(h.image().layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP));
        }
    }

    /** Opens a layer's raw blob; the test's hook to count reads. */
    interface RawOpener {
        InputStream open(Layer layer) throws IOException;
    }

    /** An image whose layers' raw blobs are opened through {@code opener}; everything else is {@code image}'s. */
    record CountingImage(Image image, RawOpener opener) implements Image {
        @Override
        public byte[] manifestBytes() {
            return image.manifestBytes();
        }

        @Override
        public Digest manifestDigest() {
            return image.manifestDigest();
        }

        @Override
        public String mediaType() {
            return image.mediaType();
        }

        @Override
        public byte[] configBytes() {
            return image.configBytes();
        }

        @Override
        public Digest configDigest() {
            return image.configDigest();
        }

        @Override
        public dev.distrolix.image.Descriptor configDescriptor() {
            return image.configDescriptor();
        }

        @Override
        public dev.distrolix.image.ImageConfig config() {
            return image.config();
        }

        @Override
        public Digest sourceDigest() {
            return image.sourceDigest();
        }

        @Override
        public boolean converted() {
            return image.converted();
        }

        @Override
        public List<Layer> layers() {
            return image.layers().stream().<Layer>map(l -> new CountingLayer(l, opener)).toList();
        }
    }

    record CountingLayer(Layer layer, RawOpener opener) implements Layer {
        @Override
        public Digest digest() {
            return layer.digest();
        }

        @Override
        public Digest diffId() {
            return layer.diffId();
        }

        @Override
        public long size() {
            return layer.size();
        }

        @Override
        public String mediaType() {
            return layer.mediaType();
        }

        @Override
        public long uncompressedSize() {
            return layer.uncompressedSize();
        }

        @Override
        public String label() {
            return layer.label();
        }

        @Override
        public InputStream openRaw() throws IOException {
            return opener.open(layer);
        }
    }
}
