package dev.distrolix.inspect.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageConfig;
import dev.distrolix.image.Layer;
import dev.distrolix.inspect.sbom.SbomBuilder;
import dev.distrolix.testing.Trials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan that replays layer records gives exactly what a scan that reads every layer gives — the merged
 * filesystem, the reference graph, the NAR hashes and why some are missing — for random images of store
 * paths, files outside the store, symlinks that move later layers' entries, whiteouts and hard links, with
 * layers shared between images at other positions; and a replay reads no layer it has a record of.
 */
class ScanCacheTest {
    private static final String[] HASHES = {"0c6kzph7l0dcqfmh6f0tnmbqi2b3ab6p", "1d9w0xmsqz6r5lkahjcw3nrg5dfj0yhb",
        "2a2hmzxgxvh3f8qgm1b5v7cl4pklmnqr", "3vfw4jv6csmnpbrdk3i7q8s1r0gyazhx"};
    private static final String[] NAMES = {"glibc-2.36", "nginx-1.22.1", "zlib-1.2.13", "openssl-3.0.11"};

    @TempDir
    Path tmp;

    /** One layer: tar entries drawn from a small vocabulary, so that layers overlap, replace and move each other. */
    static byte[] layer(SplittableRandom r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            int paths = 1 + r.nextInt(3);
            for (int p = 0; p < paths; p++) {
                int i = r.nextInt(HASHES.length);
                String root = "nix/store/" + HASHES[i] + "-" + NAMES[i];
                dir(tar, root);
                if (r.nextBoolean()) {
                    dir(tar, root + "/bin");
                    file(tar, root + "/bin/" + Trials.oneOf(r, "a", "b"), content(r), r.nextBoolean() ? 0755 : 0644);
                }
                if (r.nextInt(3) == 0) {
                    link(tar, root + "/lib", "/nix/store/" + Trials.oneOf(r, HASHES) + "-x/lib");
                }
                file(tar, root + "/share", content(r), 0644);
            }
            int outside = r.nextInt(4);
            for (int o = 0; o < outside; o++) {
                switch (r.nextInt(6)) {
                    case 0 -> file(tar, "etc/" + Trials.oneOf(r, "a", "b"), content(r), 0644);
                    case 1 -> link(tar, "opt", "/nix/store/" + HASHES[r.nextInt(HASHES.length)] + "-" + NAMES[r.nextInt(NAMES.length)]);
                    case 2 -> file(tar, "opt/bin/a", content(r), 0755);
                    case 3 -> file(tar, "etc/.wh." + Trials.oneOf(r, "a", "b"), new byte[0], 0644);
                    case 4 -> {
                        file(tar, "etc/a", content(r), 0644); // a hard link names a file before it (else the image is refused)
                        TarArchiveEntry h = new TarArchiveEntry("etc/c", TarArchiveEntry.LF_LINK);
                        h.setLinkName("etc/a");
                        tar.putArchiveEntry(h);
                        tar.closeArchiveEntry();
                    }
                    default -> link(tar, "usr/bin/x", "/nix/store/" + Trials.oneOf(r, HASHES) + "-y/bin/a");
                }
            }
        }
        return out.toByteArray();
    }

    static byte[] content(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
            sb.append("text ").append(r.nextInt(100)).append(" /nix/store/").append(Trials.oneOf(r, HASHES)).append("-lib ");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/");
        e.setMode(040555);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] b, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        e.setMode(0100000 | mode);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** An uncompressed layer held in memory; counts how often its blob is opened. */
    record MemoryLayer(byte[] tar, Digest digest, AtomicInteger opened) implements Layer {
        MemoryLayer(byte[] tar) {
            this(tar, Digest.sha256(tar), new AtomicInteger());
        }

        @Override
        public Digest diffId() {
            return digest;
        }

        @Override
        public long size() {
            return tar.length;
        }

        @Override
        public String mediaType() {
            return Compression.OCI_LAYER_TAR;
        }

        @Override
        public InputStream openRaw() {
            opened.incrementAndGet();
            return new ByteArrayInputStream(tar);
        }
    }

    /** Only the layers: all a scan reads. */
    record Layers(List<Layer> layers) implements Image {
        @Override
        public byte[] manifestBytes() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Digest manifestDigest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String mediaType() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] configBytes() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Digest configDigest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Descriptor configDescriptor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ImageConfig config() {
            throw new UnsupportedOperationException();
        }
    }

    /** Everything a scan yields, comparable. */
    static Map<String, Object> outcome(SbomBuilder.Scan s) {
        Map<String, Object> m = new TreeMap<>();
        m.put("entries", List.copyOf(s.fs().entries()));
        m.put("layers", s.fs().layers().stream().map(l -> List.of(l.compressedSize(), l.uncompressedSize(),
                l.compression(), l.entries(), l.fileBytes(), l.storePaths())).toList());
        Map<String, Object> graph = new TreeMap<>();
        for (String p : s.graph().paths()) {
            graph.put(p, List.of(s.graph().references(p), s.graph().outsideReferrers(p)));
        }
        m.put("graph", graph);
        m.put("roots", s.graph().roots());
        m.put("nar", s.narHashes());
        m.put("narProblems", s.narProblems());
        return m;
    }

    static List<MemoryLayer> layers(SplittableRandom r, int n) {
        List<MemoryLayer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                out.add(new MemoryLayer(layer(r)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    @Test
    void replayingRecordsGivesWhatReadingEveryLayerGives() {
        AtomicInteger run = new AtomicInteger();
        Trials.forAll(300, r -> layers(r, 1 + r.nextInt(5)), drawn -> {
            try {
                ScanCache cache = ScanCache.in(tmp.resolve("c" + run.incrementAndGet()), tmp.resolve("key"));
                Image image = new Layers(List.copyOf(drawn));
                Map<String, Object> read = outcome(SbomBuilder.scan(image));
                assertThat(outcome(SbomBuilder.scan(image, cache))).as("recording").isEqualTo(read);
                assertThat(outcome(SbomBuilder.scan(image, cache))).as("replaying").isEqualTo(read);
                // the same layers in another order, and with one repeated: records made at one position replayed at another
                List<Layer> other = new ArrayList<>(drawn);
                java.util.Collections.reverse(other);
                other.add(drawn.get(0));
                Image reordered = new Layers(other);
                assertThat(outcome(SbomBuilder.scan(reordered, cache))).as("reordered")
                        .isEqualTo(outcome(SbomBuilder.scan(reordered)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aReplayOpensNoLayerItHasARecordOf() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        List<MemoryLayer> drawn = new ArrayList<>();
        while (drawn.size() < 4) {
            MemoryLayer l = layers(r, 1).get(0);
            String tar = new String(l.tar(), StandardCharsets.ISO_8859_1);
            if (!tar.contains("opt")) { // nothing that moves another layer's entries: every record replays
                drawn.add(l);
            }
        }
        ScanCache cache = ScanCache.in(tmp.resolve("scans"), tmp.resolve("key"));
        Image image = new Layers(List.copyOf(drawn));
        Map<String, Object> first = outcome(SbomBuilder.scan(image, cache));
        assertThat(drawn).allMatch(l -> l.opened().get() == 1);
        try (var files = Files.list(cache.dir())) {
            assertThat(files.count()).isEqualTo(drawn.stream().map(MemoryLayer::digest).distinct().count());
        }
        Map<String, Object> second = outcome(SbomBuilder.scan(image, cache));
        assertThat(second).isEqualTo(first);
        assertThat(drawn).allMatch(l -> l.opened().get() == 1);
    }

    @Test
    void aDamagedRecordIsReadAgainAndRewritten() throws IOException {
        List<MemoryLayer> drawn = layers(new SplittableRandom(11), 2);
        ScanCache cache = ScanCache.in(tmp.resolve("scans"), tmp.resolve("key"));
        Image image = new Layers(List.copyOf(drawn));
        Map<String, Object> first = outcome(SbomBuilder.scan(image, cache));
        Path record = cache.dir().resolve(drawn.get(0).digest().hex());
        byte[] b = Files.readAllBytes(record);
        b[b.length / 2] ^= 0x40;
        Files.write(record, b);
        int before = drawn.get(0).opened().get();
        assertThat(outcome(SbomBuilder.scan(image, cache))).isEqualTo(first);
        assertThat(drawn.get(0).opened().get()).isEqualTo(before + 1);
        assertThat(Files.readAllBytes(record)).isNotEqualTo(b); // rewritten whole
        Files.write(record, new byte[] {1, 2, 3});
        assertThat(outcome(SbomBuilder.scan(image, cache))).isEqualTo(first);
    }

    /**
     * A record is evidence that goes into signed SBOMs: one made under another key (a cache restored from another
     * job) is not replayed but removed and the layer read; one under the right key whose entries are not what the
     * walker makes (a ".." component) is refused too.
     */
    @Test
    void onlyRecordsUnderThisUsersKeyWithWellFormedEntriesAreReplayed() throws IOException {
        SplittableRandom r = new SplittableRandom(13);
        List<MemoryLayer> drawn = layers(r, 1);
        while (new String(drawn.get(0).tar(), StandardCharsets.ISO_8859_1).contains("opt")) {
            drawn = layers(r, 1); // nothing that moves the layer's own entries: its record is kept
        }
        Image image = new Layers(List.copyOf(drawn));
        Map<String, Object> read = outcome(SbomBuilder.scan(image));
        ScanCache theirs = ScanCache.in(tmp.resolve("scans"), tmp.resolve("their-key"));
        SbomBuilder.scan(image, theirs);
        Path record = tmp.resolve("scans").resolve(drawn.get(0).digest().hex());
        assertThat(record).exists();
        assertThat(Files.size(tmp.resolve("their-key"))).as("a key made on first use").isEqualTo(32);

        ScanCache ours = ScanCache.in(tmp.resolve("scans"), tmp.resolve("our-key"));
        int before = drawn.get(0).opened().get();
        assertThat(outcome(SbomBuilder.scan(image, ours))).isEqualTo(read);
        assertThat(drawn.get(0).opened().get()).as("read, not replayed").isEqualTo(before + 1);

        // a record under our key that names a path the walker never makes
        dev.distrolix.inspect.LayerInfo info = new dev.distrolix.inspect.LayerInfo(0, drawn.get(0));
        byte[] key = Files.readAllBytes(tmp.resolve("our-key"));
        LayerScanRecord forged = new LayerScanRecord(new dev.distrolix.inspect.LayerWalker.KnownLayer(List.of(
                new dev.distrolix.inspect.LayerWalker.KnownEntry(new dev.distrolix.inspect.TarEntry("/etc/../../x",
                        dev.distrolix.inspect.FsEntry.Type.DIRECTORY, 0755, 0, 0, 0, null), null, null, null)),
                new dev.distrolix.inspect.LayerWalker.Sizes(1, 1, Compression.NONE)), List.of(Map.of(), Map.of()),
                List.of(Map.of(), Map.of()));
        byte[] bytes = ScanCache.encode(key, info, "sbom: references + NAR hashes, 1", forged);
        assertThat(ScanCache.decode(bytes, key, info, "sbom: references + NAR hashes, 1", 2)).isNull();
        assertThat(ScanCache.normalized("/a/b")).isTrue();
        assertThat(ScanCache.normalized("/a//b")).isFalse();
        assertThat(ScanCache.normalized("/")).isFalse();
        assertThat(ScanCache.normalized("a/b")).isFalse();
        assertThat(ScanCache.normalized("/a/./b")).isFalse();
    }
}
