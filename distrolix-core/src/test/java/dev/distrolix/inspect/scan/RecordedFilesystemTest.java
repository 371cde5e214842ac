package dev.distrolix.inspect.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import dev.distrolix.image.LayerStream;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.sbom.SbomBuilder;
import dev.distrolix.testing.Trials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageScan#filesystem}, what inspect, diff and compare read an image with: from the layer records of any
 * kind where there are some (an SBOM's, a signing build's, its own), the same filesystem a read of every layer
 * gives; a replayed layer's blob still checked against its digest, so that a damaged or missing blob is reported
 * in the words a read uses; its own records never taken for an SBOM's.
 */
class RecordedFilesystemTest {
    @TempDir
    Path tmp;

    /** A gzip layer in memory; counts how often its tar is read (decompressed) apart from its blob's opens. */
    record GzipLayer(byte[] blob, Digest digest, Digest diffId, long size, AtomicInteger tarReads) implements Layer {
        static GzipLayer of(byte[] tar) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(tar);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] blob = out.toByteArray();
            return new GzipLayer(blob, Digest.sha256(blob), Digest.sha256(tar), blob.length, new AtomicInteger());
        }

        /** The same layer (digest, diff_id, size) with other bytes as its blob. */
        GzipLayer withBlob(byte[] other) {
            return new GzipLayer(other, digest, diffId, size, tarReads);
        }

        @Override
        public String mediaType() {
            return Compression.OCI_LAYER_GZIP;
        }

        @Override
        public InputStream openRaw() {
            return new ByteArrayInputStream(blob);
        }

        @Override
        public LayerStream uncompressed() throws IOException {
            tarReads.incrementAndGet();
            return Layer.super.uncompressed();
        }
    }

    static List<Layer> gzipLayers(SplittableRandom r, int n) {
        return ScanCacheTest.layers(r, n).stream().<Layer>map(l -> GzipLayer.of(l.tar())).toList();
    }

    /** Everything a filesystem tells, comparable. */
    static Map<String, Object> outcome(FlatFilesystem fs) {
        Map<String, Object> m = new TreeMap<>();
        m.put("entries", List.copyOf(fs.entries()));
        m.put("layers", fs.layers().stream().map(l -> List.of(l.compressedSize(), l.uncompressedSize(),
                l.compression(), l.entries(), l.fileBytes(), l.storePaths())).toList());
        m.put("programs", fs.entries().stream().map(e -> String.valueOf(fs.program(e))).toList());
        return m;
    }

    private static int tarReads(List<Layer> layers) {
        return layers.stream().mapToInt(l -> ((GzipLayer) l).tarReads().get()).sum();
    }

    @Test
    void recordsGiveWhatReadingEveryLayerGives() {
        AtomicInteger run = new AtomicInteger();
        Trials.forAll(200, r -> gzipLayers(r, 1 + r.nextInt(5)), drawn -> {
            try {
                ScanCache cache = ScanCache.in(tmp.resolve("c" + run.incrementAndGet()), tmp.resolve("key"));
                Image image = new ScanCacheTest.Layers(drawn);
                Map<String, Object> read = outcome(FlatFilesystem.read(image));
                assertThat(outcome(ImageScan.filesystem(image, cache))).as("recording").isEqualTo(read);
                assertThat(outcome(ImageScan.filesystem(image, cache))).as("replaying").isEqualTo(read);
                List<Layer> other = new ArrayList<>(drawn);
                java.util.Collections.reverse(other);
                Image reordered = new ScanCacheTest.Layers(other);
                assertThat(outcome(ImageScan.filesystem(reordered, cache))).as("reordered")
                        .isEqualTo(outcome(FlatFilesystem.read(reordered)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Layers whose entries no symlink of another moves: every record replays. */
    private static List<Layer> replayable(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> out = new ArrayList<>();
        while (out.size() < n) {
            ScanCacheTest.MemoryLayer l = ScanCacheTest.layers(r, 1).get(0);
            if (!new String(l.tar(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("opt")) {
                out.add(GzipLayer.of(l.tar()));
            }
        }
        return out;
    }

    @Test
    void anSbomsRecordsAreReplayedAndKeptAndItsOwnAreNotTakenForAnSboms() throws IOException {
        List<Layer> drawn = replayable(5, 3);
        Image image = new ScanCacheTest.Layers(drawn);
        ScanCache cache = ScanCache.in(tmp.resolve("scans"), tmp.resolve("key"));
        Map<String, Object> read = outcome(FlatFilesystem.read(image));
        var sbom = ScanCacheTest.outcome(SbomBuilder.scan(image));

        SbomBuilder.scan(image, cache); // records of the SBOM's kind
        int reads = tarReads(drawn);
        assertThat(outcome(ImageScan.filesystem(image, cache))).isEqualTo(read);
        assertThat(tarReads(drawn)).as("replayed, not decompressed").isEqualTo(reads);
        assertThat(ScanCacheTest.outcome(SbomBuilder.scan(image, cache))).isEqualTo(sbom);
        assertThat(tarReads(drawn)).as("the SBOM's records kept: replayed by the SBOM too").isEqualTo(reads);

        ScanCache fresh = ScanCache.in(tmp.resolve("fresh"), tmp.resolve("key"));
        ImageScan.filesystem(image, fresh); // records of the entries alone
        reads = tarReads(drawn);
        assertThat(outcome(ImageScan.filesystem(image, fresh))).isEqualTo(read);
        assertThat(tarReads(drawn)).isEqualTo(reads);
        assertThat(ScanCacheTest.outcome(SbomBuilder.scan(image, fresh))).isEqualTo(sbom);
        assertThat(tarReads(drawn)).as("an SBOM reads the layers an entries record holds").isEqualTo(reads + 3);
        assertThat(ScanCacheTest.outcome(SbomBuilder.scan(image, fresh))).isEqualTo(sbom);
        assertThat(tarReads(drawn)).as("and keeps its own records then").isEqualTo(reads + 3);
    }

    @Test
    void aReplayedLayersBlobIsStillCheckedAgainstItsDigest() throws IOException {
        List<Layer> drawn = replayable(9, 2);
        Image image = new ScanCacheTest.Layers(drawn);
        ScanCache cache = ScanCache.in(tmp.resolve("scans"), tmp.resolve("key"));
        ImageScan.filesystem(image, cache);

        GzipLayer first = (GzipLayer) drawn.get(0);
        byte[] tampered = first.blob().clone();
        tampered[4] ^= 1; // the gzip header's mtime: decompresses as before, hashes differently
        byte[] cut = java.util.Arrays.copyOf(first.blob(), first.blob().length - 3);
        for (byte[] blob : List.of(tampered, cut)) {
            Image damaged = new ScanCacheTest.Layers(List.of(first.withBlob(blob), drawn.get(1)));
            String asRead = message(() -> FlatFilesystem.read(damaged));
            assertThat(asRead).isNotNull();
            if (blob == tampered) {
                assertThat(message(() -> ImageScan.filesystem(damaged, cache))).isEqualTo(asRead)
                        .contains("blob digest mismatch");
            } else {
                // a cut blob: the read stops inside the gzip stream, the check at its size
                assertThat(message(() -> ImageScan.filesystem(damaged, cache))).contains("blob is " + cut.length
                        + " bytes, the manifest says " + first.size());
            }
        }
        try (var files = Files.list(cache.dir())) {
            assertThat(files.count()).as("the records stay: the blob, not the record, is damaged").isEqualTo(2);
        }
    }

    @Test
    void aLayerNamedByItsTarIsReadNotReplayedAndItsRecordKept() throws IOException {
        // an archive's layer is named by its tar's digest: only reading the tar checks it
        SplittableRandom r = new SplittableRandom(3);
        List<ScanCacheTest.MemoryLayer> drawn = new ArrayList<>();
        while (drawn.size() < 2) {
            ScanCacheTest.MemoryLayer l = ScanCacheTest.layers(r, 1).get(0);
            if (!new String(l.tar(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("opt")) {
                drawn.add(l);
            }
        }
        Image image = new ScanCacheTest.Layers(List.copyOf(drawn));
        ScanCache cache = ScanCache.in(tmp.resolve("scans"), tmp.resolve("key"));
        Map<String, Object> read = outcome(FlatFilesystem.read(image));
        SbomBuilder.scan(image, cache);
        int opened = drawn.stream().mapToInt(l -> l.opened().get()).sum();
        assertThat(outcome(ImageScan.filesystem(image, cache))).isEqualTo(read);
        assertThat(drawn.stream().mapToInt(l -> l.opened().get()).sum()).as("read").isEqualTo(opened + 2);
        SbomBuilder.scan(image, cache);
        assertThat(drawn.stream().mapToInt(l -> l.opened().get()).sum()).as("the SBOM's records kept")
                .isEqualTo(opened + 2);
    }

    @Test
    void aLayerOfMoreEntriesThanARecordHoldsIsReadEachTime() throws IOException {
        List<Layer> layers = new ArrayList<>();
        for (int n : new int[] {ScanCache.MAX_ENTRIES_ANY_KIND, ScanCache.MAX_ENTRIES_ANY_KIND + 1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
                ScanCacheTest.dir(tar, "d" + n);
                for (int i = 1; i < n; i++) {
                    ScanCacheTest.file(tar, "d" + n + "/f" + i, new byte[0], 0644);
                }
            }
            layers.add(GzipLayer.of(out.toByteArray()));
        }
        Image image = new ScanCacheTest.Layers(layers);
        ScanCache cache = ScanCache.in(tmp.resolve("scans"), tmp.resolve("key"));
        Map<String, Object> read = outcome(FlatFilesystem.read(image));
        assertThat(outcome(ImageScan.filesystem(image, cache))).isEqualTo(read);
        assertThat(cache.dir().resolve(layers.get(0).digest().hex())).as("at the limit: recorded").exists();
        assertThat(cache.dir().resolve(layers.get(1).digest().hex())).as("past it: not").doesNotExist();
        int reads = tarReads(layers);
        assertThat(outcome(ImageScan.filesystem(image, cache))).isEqualTo(read);
        assertThat(tarReads(layers)).isEqualTo(reads + 1);

        // an SBOM records every layer whatever its size; such a record is too large to be read for entries alone,
        // so the layer is read, and the record stays for the SBOM
        ScanCache sboms = ScanCache.in(tmp.resolve("sboms"), tmp.resolve("key"));
        SbomBuilder.scan(image, sboms);
        Path large = sboms.dir().resolve(layers.get(1).digest().hex());
        byte[] record = Files.readAllBytes(large);
        reads = tarReads(layers);
        assertThat(outcome(ImageScan.filesystem(image, sboms))).isEqualTo(read);
        assertThat(tarReads(layers)).isEqualTo(reads + 1);
        assertThat(Files.readAllBytes(large)).isEqualTo(record);
        SbomBuilder.scan(image, sboms);
        assertThat(tarReads(layers)).as("the SBOM replays both").isEqualTo(reads + 1);
    }

    interface Read {
        Object run() throws IOException;
    }

    private static String message(Read read) {
        try {
            read.run();
            return null;
        } catch (InputException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
