package dev.distrolix.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.tar.LayerBlob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer cache on a temp folder: in-memory blobs, no tar, no tool. */
class LayerCacheTest {
    static final String KEY = "a".repeat(64);
    static final String OTHER_KEY = "b".repeat(64);

    @TempDir
    Path dir;

    /** Writes {@code content} into the cache's blob folder, as the layer writer does, and returns its blob. */
    static LayerBlob blob(LayerCache cache, String content, Compression compression) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(bytes);
        Path file = Files.write(cache.blobsDir().resolve(d.hex()), bytes);
        Digest diffId = Digest.sha256(("uncompressed " + content).getBytes(StandardCharsets.UTF_8));
        return new LayerBlob(file, d, bytes.length, diffId, bytes.length + 100L, compression);
    }

    @Test
    void openCreatesTheFoldersAndAnAbsentKeyIsAMiss() throws Exception {
        try (LayerCache cache = LayerCache.open(dir.resolve("c"))) {
            assertThat(cache.dir()).isEqualTo(dir.resolve("c"));
            assertThat(dir.resolve("c/keys")).isDirectory();
            assertThat(cache.blobsDir()).isEqualTo(dir.resolve("c/blobs/sha256")).isDirectory();
            assertThat(cache.lookup(KEY, Compression.GZIP)).isEmpty();
            assertThat(cache.usage()).isEqualTo(new LayerCache.Usage(0, 0, 0));
        }
    }

    @Test
    void aStoredBlobIsFoundUnderItsKeyWithEveryField() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            LayerBlob stored = blob(cache, "layer one", Compression.GZIP);
            cache.store(KEY, stored);

            Optional<LayerBlob> hit = cache.lookup(KEY, Compression.GZIP);
            assertThat(hit).contains(stored);
            assertThat(dir.resolve("keys/" + KEY + ".json")).isRegularFile();
            assertThat(cache.lookup(OTHER_KEY, Compression.GZIP)).as("another key").isEmpty();
            assertThat(cache.usage()).isEqualTo(new LayerCache.Usage(1, 1, "layer one".length()));
        }
    }

    @Test
    void theSameKeyStoredAgainIsReplaced() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            cache.store(KEY, blob(cache, "first", Compression.ZSTD));
            LayerBlob second = blob(cache, "second", Compression.ZSTD);
            cache.store(KEY, second);
            assertThat(cache.lookup(KEY, Compression.ZSTD)).contains(second);
            try (var s = Files.list(dir.resolve("keys"))) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly(KEY + ".json"); // no temp files left
            }
        }
    }

    @Test
    void anotherCompressionIsAMissAndDropsTheEntry() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            LayerBlob b = blob(cache, "gz", Compression.GZIP);
            cache.store(KEY, b);
            assertThat(cache.lookup(KEY, Compression.ZSTD)).isEmpty();
            assertThat(dir.resolve("keys/" + KEY + ".json")).doesNotExist();
            assertThat(b.file()).doesNotExist();
            assertThat(cache.drainWarnings()).as("another compression is no damage").isEmpty();
        }
    }

    @Test
    void aDamagedOrMissingBlobIsAMissNeverShipped() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            LayerBlob changed = blob(cache, "original bytes", Compression.GZIP);
            cache.store(KEY, changed);
            // a hit trusts the file identity recorded at store time (inode, size, mtime); a later change
            // gets a new mtime — wait past the file system's timestamp tick so it does here too
            Thread.sleep(30);
            Files.writeString(changed.file(), "altered  bytes"); // same size, other digest
            assertThat(cache.lookup(KEY, Compression.GZIP)).isEmpty();
            assertThat(changed.file()).doesNotExist();

            LayerBlob truncated = blob(cache, "to be truncated", Compression.GZIP);
            cache.store(OTHER_KEY, truncated);
            Thread.sleep(30);
            Files.writeString(truncated.file(), "to be");
            assertThat(cache.lookup(OTHER_KEY, Compression.GZIP)).isEmpty();

            LayerBlob gone = blob(cache, "deleted", Compression.GZIP);
            cache.store(KEY, gone);
            Files.delete(gone.file());
            assertThat(cache.lookup(KEY, Compression.GZIP)).isEmpty();
            assertThat(dir.resolve("keys/" + KEY + ".json")).doesNotExist();
            // each damaged entry is said once, so the build can warn that it rebuilds it
            assertThat(cache.drainWarnings()).hasSize(3).allMatch(w -> w.contains("was damaged"));
            assertThat(cache.drainWarnings()).isEmpty();
        }
    }

    @Test
    void aKeyFileThatIsNotJsonIsAMissAndIsRemoved() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            Path keyFile = Files.writeString(dir.resolve("keys/" + KEY + ".json"), "{\"digest\": \"sha256:ab"); // torn write
            assertThat(cache.lookup(KEY, Compression.GZIP)).isEmpty();
            assertThat(keyFile).doesNotExist();
        }
    }

    @Test
    void anEmptyKeyFileIsAMiss() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            Files.write(dir.resolve("keys/" + KEY + ".json"), new byte[0]);
            assertThat(cache.lookup(KEY, Compression.GZIP)).isEmpty();
        }
    }

    @Test
    void aKeyFileWithGarbageFieldsIsAMiss() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            for (String garbage : new String[] {"{\"digest\":\"nope\"}", "[1,2,3]", "42", "null"}) {
                Files.writeString(dir.resolve("keys/" + KEY + ".json"), garbage);
                assertThat(cache.lookup(KEY, Compression.GZIP)).as(garbage).isEmpty();
            }
        }
    }

    @Test
    void pruneRemovesOldEntriesAndTheBlobsNoEntryNames() throws Exception {
        LayerBlob old;
        LayerBlob recent;
        Path orphan;
        try (LayerCache cache = LayerCache.open(dir)) {
            old = blob(cache, "old layer", Compression.GZIP);
            recent = blob(cache, "recent layer", Compression.GZIP);
            cache.store(KEY, old);
            cache.store(OTHER_KEY, recent);
            orphan = blob(cache, "no key names me", Compression.GZIP).file();
            Files.setLastModifiedTime(dir.resolve("keys/" + KEY + ".json"),
                    FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        }
        // records of layer scans (inspect.scan.ScanCache) go with their blobs
        Path scans = Files.createDirectories(dir.resolve("scans"));
        Files.writeString(scans.resolve(old.digest().hex()), "scan of the old layer");
        Files.writeString(scans.resolve(recent.digest().hex()), "scan of the recent layer");
        // records of closures (nix.ClosureRecords) go when as old as an entry that goes
        Path closures = Files.createDirectories(dir.resolve("closures"));
        Files.writeString(closures.resolve("old"), "closure asked 3 days ago");
        Files.setLastModifiedTime(closures.resolve("old"), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        Files.writeString(closures.resolve("recent"), "closure asked now");
        // and so do the listings of NARs (nix.substituter.NarListingRecords)
        Path listings = Files.createDirectories(dev.distrolix.nix.substituter.NarListingRecords.beside(dir));
        Files.writeString(listings.resolve("old"), "listing read 3 days ago");
        Files.setLastModifiedTime(listings.resolve("old"), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        Files.writeString(listings.resolve("recent"), "listing read now");

        LayerCache.Usage left = LayerCache.prune(dir, Duration.ofDays(1));

        assertThat(left).isEqualTo(new LayerCache.Usage(1, 1, "recent layer".length()));
        assertThat(old.file()).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(recent.file()).exists();
        assertThat(scans.resolve(old.digest().hex())).doesNotExist();
        assertThat(scans.resolve(recent.digest().hex())).exists();
        assertThat(closures.resolve("old")).doesNotExist();
        assertThat(closures.resolve("recent")).exists();
        assertThat(listings.resolve("old")).doesNotExist();
        assertThat(listings.resolve("recent")).exists();
        assertThat(LayerCache.prune(dir, Duration.ZERO)).as("zero: everything").isEqualTo(new LayerCache.Usage(0, 0, 0));
        assertThat(closures).isEmptyDirectory();
        assertThat(listings).isEmptyDirectory();
    }

    @Test
    void pruneWaitsForTheBuildsThatHoldTheCache() throws Exception {
        LayerCache first = LayerCache.open(dir);
        LayerCache second = LayerCache.open(dir); // two builds in one JVM share the lock
        CompletableFuture<LayerCache.Usage> prune = CompletableFuture.supplyAsync(() -> {
            try {
                return LayerCache.prune(dir, Duration.ZERO);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            first.store(KEY, blob(first, "written during the build", Compression.GZIP));
            first.close();
            assertThatTimesOut(prune);
            assertThat(second.lookup(KEY, Compression.GZIP)).as("still there while a build runs").isPresent();
        } finally {
            first.close();
            second.close();
        }
        assertThat(prune.get(10, TimeUnit.SECONDS)).isEqualTo(new LayerCache.Usage(0, 0, 0));
    }

    private static void assertThatTimesOut(CompletableFuture<?> f) throws Exception {
        try {
            f.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError("prune finished while a build held the cache");
        } catch (TimeoutException expected) {
            // still waiting for the lock
        }
    }

    @Test
    void theDefaultFolderIsLayersUnderTheCacheRoot() {
        assertThat(LayerCache.defaultDir()).isEqualTo(dev.distrolix.CacheDirs.root().resolve("layers"));
    }
}
