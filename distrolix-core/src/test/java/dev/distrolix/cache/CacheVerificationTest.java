package dev.distrolix.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.tar.LayerBlob;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache verify} on a temp folder: real gzip and uncompressed blobs, no tool. */
class CacheVerificationTest {
    static final String KEY = "a".repeat(64);
    static final String SAME_BLOB_KEY = "b".repeat(64);
    static final String PLAIN_KEY = "c".repeat(64);

    @TempDir
    Path dir;

    /** A blob as a build leaves it in the cache: {@code tar} (any bytes here) compressed, digests of both. */
    static LayerBlob blob(LayerCache cache, String tar, Compression compression) throws Exception {
        byte[] uncompressed = tar.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = uncompressed;
        if (compression == Compression.GZIP) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(uncompressed);
            }
            bytes = out.toByteArray();
        }
        Digest digest = Digest.sha256(bytes);
        Path file = Files.write(cache.blobsDir().resolve(digest.hex()), bytes);
        return new LayerBlob(file, digest, bytes.length, Digest.sha256(uncompressed), uncompressed.length, compression);
    }

    /** A gzip blob under two keys, an uncompressed one under a third. */
    private record Stored(LayerBlob gz, LayerBlob plain) {}

    private Stored storeThreeEntries() throws Exception {
        try (LayerCache cache = LayerCache.open(dir)) {
            LayerBlob gz = blob(cache, "a layer's tar, ".repeat(1000), Compression.GZIP);
            LayerBlob plain = blob(cache, "an uncompressed layer", Compression.NONE);
            cache.store(KEY, gz);
            cache.store(SAME_BLOB_KEY, gz); // two entries, one blob
            cache.store(PLAIN_KEY, plain);
            return new Stored(gz, plain);
        }
    }

    @Test
    void anIntactCacheIsReadWholeAndLeftAsItIs() throws Exception {
        Stored stored = storeThreeEntries();
        LayerBlob gz = stored.gz();
        LayerBlob plain = stored.plain();
        try (LayerCache cache = LayerCache.open(dir)) {
            blob(cache, "no entry names me", Compression.NONE);
        }
        CacheVerification.Report r = CacheVerification.verify(dir);
        assertThat(r.intact()).isTrue();
        assertThat(r.entries()).isEqualTo(3);
        assertThat(r.blobs()).isEqualTo(2);
        assertThat(r.bytes()).isEqualTo(gz.size() + plain.size());
        assertThat(r.unnamedBlobs()).isEqualTo(1);
        try (LayerCache cache = LayerCache.open(dir)) {
            assertThat(cache.lookup(KEY, Compression.GZIP)).isPresent();
            assertThat(cache.lookup(PLAIN_KEY, Compression.NONE)).isPresent();
        }
    }

    @Test
    void bytesChangedInPlaceAreFoundThoughABuildWouldTrustTheFile() throws Exception {
        Stored stored = storeThreeEntries();
        LayerBlob gz = stored.gz();
        LayerBlob plain = stored.plain();
        rotInPlace(plain.file(), 3); // same size, same time: a build's lookup still takes it
        try (LayerCache cache = LayerCache.open(dir)) {
            assertThat(cache.lookup(PLAIN_KEY, Compression.NONE)).as("a hit trusts the recorded file").isPresent();
        }
        Files.writeString(dir.resolve("keys/" + "d".repeat(64) + ".json"), "{not json");

        CacheVerification.Report r = CacheVerification.verify(dir);
        assertThat(r.intact()).isFalse();
        assertThat(r.damaged()).extracting(CacheVerification.Damaged::name)
                .containsExactlyInAnyOrder("d".repeat(64) + ".json", plain.digest().hex());
        assertThat(r.damaged()).filteredOn(d -> d.name().equals(plain.digest().hex())).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("digest mismatch"));
        assertThat(r.entries()).isEqualTo(2);
        assertThat(r.blobs()).isEqualTo(1);
        assertThat(plain.file()).doesNotExist();
        assertThat(dir.resolve("keys/" + PLAIN_KEY + ".json")).doesNotExist();
        assertThat(gz.file()).exists();

        // what is left is intact: a second run finds nothing
        assertThat(CacheVerification.verify(dir).intact()).isTrue();
    }

    @Test
    void aGzipBlobThatIsCorruptOrWhoseTarIsNotTheRecordedOneIsDroppedWithEveryEntryNamingIt() throws Exception {
        LayerBlob corrupt;
        LayerBlob otherTar;
        try (LayerCache cache = LayerCache.open(dir)) {
            corrupt = blob(cache, "to be corrupted ".repeat(400), Compression.GZIP);
            cache.store(KEY, corrupt);
            cache.store(SAME_BLOB_KEY, corrupt);
            LayerBlob made = blob(cache, "the tar that was made", Compression.GZIP);
            // a record whose diff_id is not its blob's tar (its digest and size are right)
            otherTar = new LayerBlob(made.file(), made.digest(), made.size(),
                    Digest.sha256("another tar".getBytes(StandardCharsets.UTF_8)), made.uncompressedSize(), Compression.GZIP);
            cache.store(PLAIN_KEY, otherTar);
        }
        rotInPlace(corrupt.file(), 20);

        CacheVerification.Report r = CacheVerification.verify(dir);
        assertThat(r.damaged()).hasSize(2);
        assertThat(r.damaged()).filteredOn(d -> d.name().equals(otherTar.digest().hex())).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("diff_id mismatch"));
        assertThat(r.entries()).isZero();
        assertThat(dir.resolve("keys")).isEmptyDirectory();
        assertThat(corrupt.file()).doesNotExist();
    }

    @Test
    void aRecordThatIsADeviceOrHugeIsDroppedUnreadAndABuildMissesIt() throws Exception {
        storeThreeEntries();
        Path device = dir.resolve("keys").resolve(KEY + ".json");
        Files.delete(device);
        Files.createSymbolicLink(device, Path.of("/dev/zero")); // read whole, it never ended
        Path huge = dir.resolve("keys").resolve(PLAIN_KEY + ".json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: read whole, 'out of memory' and exit 1
        }
        try (LayerCache cache = LayerCache.open(dir)) {
            assertThat(cache.lookup(KEY, Compression.GZIP)).isEmpty();
            assertThat(cache.lookup(PLAIN_KEY, Compression.NONE)).isEmpty();
            assertThat(cache.lookup(SAME_BLOB_KEY, Compression.GZIP)).isPresent();
        }
        storeThreeEntries();
        Files.delete(device);
        Files.createSymbolicLink(device, Path.of("/dev/zero"));
        CacheVerification.Report r = CacheVerification.verify(dir);
        assertThat(r.intact()).isFalse();
        assertThat(r.entries()).isEqualTo(2);
        assertThat(device).doesNotExist();
    }

    @Test
    void aCacheDirThatIsAFileIsAnInputError() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> LayerCache.open(file)).isInstanceOf(InputException.class)
                .hasMessage(file + ": not a directory (a layer cache is a folder)");
        assertThatThrownBy(() -> LayerCache.prune(file, java.time.Duration.ZERO)).isInstanceOf(InputException.class);
    }

    @Test
    void aFolderWithoutACacheIsAnInputError() {
        assertThatThrownBy(() -> CacheVerification.verify(dir.resolve("none")))
                .isInstanceOf(InputException.class).hasMessageContaining("no layer cache here");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    /** Changes one byte at {@code at}, keeping the file's size and modification time. */
    private static void rotInPlace(Path file, int at) throws Exception {
        FileTime time = Files.getLastModifiedTime(file);
        byte[] b = Files.readAllBytes(file);
        b[at] ^= 0x55;
        Files.write(file, b);
        Files.setLastModifiedTime(file, time);
    }
}
