package dev.distrolix.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A content-addressed layer cache: {@code keys/<key>.json} maps a layer's inputs (see
 * {@link LayerKeys}) to its diff_id, digest and sizes; {@code blobs/sha256/<hex>} holds the blob.
 * A hit does no tar and no compression. Every hit re-checks the blob's size and digest, so a
 * corrupt or truncated blob is dropped and rebuilt, never shipped.
 *
 * <p>Concurrency: blobs and keys are written to a temp file and renamed, so concurrent builds
 * writing the same layer both succeed with the same bytes. Builds hold a shared lock on
 * {@code .lock}; {@link #prune} takes it exclusively, so it never removes a blob under a build.
 */
public final class LayerCache implements Closeable {
    private final List<String> warnings = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private final Path dir;
    private final CacheLock lock;

    private LayerCache(Path dir, boolean exclusive) throws IOException {
        this.dir = dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new dev.distrolix.InputException(dir + ": not a directory (a layer cache is a folder)");
        }
        Files.createDirectories(dir.resolve("keys"));
        Files.createDirectories(blobsDir());
        this.lock = exclusive ? CacheLock.exclusive(dir.resolve(".lock")) : CacheLock.shared(dir.resolve(".lock"));
        // temp files of builds that were killed (their process is gone): never a hit, only wasted space
        dev.distrolix.TempFiles.sweep(dir.resolve("keys"));
        dev.distrolix.TempFiles.sweep(blobsDir());
    }

    /** Opens (creating) the cache for a build: shared with other builds. */
    public static LayerCache open(Path dir) throws IOException {
        return new LayerCache(dir, false);
    }

    /** Whether the cache in {@code dir} holds no layer at all (missing, or no key recorded): a fresh runner's. */
    public static boolean isEmpty(Path dir) {
        try (java.util.stream.Stream<Path> keys = Files.list(dir.resolve("keys"))) {
            return keys.noneMatch(k -> k.getFileName().toString().endsWith(".json"));
        } catch (IOException | UncheckedIOException missingOrUnreadable) {
            return true;
        }
    }

    /** The "layers" folder under {@link dev.distrolix.CacheDirs#root()}. */
    public static Path defaultDir() {
        return dev.distrolix.CacheDirs.root().resolve("layers");
    }

    public Path dir() {
        return dir;
    }

    /** Where new blobs are written, so that storing them is a rename within one file system. */
    public Path blobsDir() {
        return blobsDir(dir);
    }

    /** Where the cache in {@code dir} keeps its blobs, opened or not. */
    public static Path blobsDir(Path dir) {
        return dir.resolve("blobs/sha256");
    }

    /** The cached blob for {@code key}, verified; empty on a miss or when the blob is damaged (then removed). */
    public Optional<LayerBlob> lookup(String key, Compression compression) throws IOException {
        Path keyFile = keyFile(key);
        Entry rec;
        try {
            rec = Entry.read(keyFile);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            Files.deleteIfExists(keyFile); // a torn record: rebuild
            return Optional.empty();
        } catch (IllegalArgumentException garbage) {
            Files.deleteIfExists(keyFile); // an empty or garbage record is a miss, not a broken cache
            return Optional.empty();
        }
        Digest digest = rec.digest();
        Path blob = blobsDir().resolve(digest.hex());
        long size = rec.size();
        boolean sameCompression = rec.compression().equals(compression.name());
        if (!sameCompression || !intact(blob, digest, size, rec.identity())) {
            if (sameCompression) {
                warnings.add("layer cache: the cached blob " + digest.hex().substring(0, 12)
                        + " was damaged (missing, or its bytes no longer hash to its digest); rebuilding that layer");
            }
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(blob);
            return Optional.empty();
        }
        Files.setLastModifiedTime(keyFile, FileTime.from(Instant.now())); // for prune --older-than
        return Optional.of(new LayerBlob(blob, digest, size, rec.diffId(), rec.uncompressedSize(), compression));
    }

    /**
     * A key file's record, as {@link #store} writes it; {@code compression} is the {@link Compression}'s name, a
     * size the record lacks is -1 (unknown).
     */
    record Entry(Digest digest, Digest diffId, long size, long uncompressedSize, String compression, String identity) {
        /** A record is a few hundred bytes; a damaged one may be anything, and is read no further than this. */
        private static final int MAX_RECORD = 64 << 10;

        /**
         * Reads {@code keyFile}: an IOException when it cannot be read or is not JSON, an IllegalArgumentException
         * when its digests are not digests.
         */
        static Entry read(Path keyFile) throws IOException {
            byte[] bytes;
            try {
                bytes = dev.distrolix.SmallFiles.read(keyFile, MAX_RECORD, "a cache record");
            } catch (dev.distrolix.InputException notARecord) { // a pipe, a device, a huge file: damaged, so a miss
                throw new IOException(notARecord.getMessage(), notARecord);
            }
            JsonNode rec = dev.distrolix.json.JsonTrees.read(bytes);
            return new Entry(Digest.parse(rec.path("digest").asText()), Digest.parse(rec.path("diffId").asText()),
                    rec.path("size").asLong(-1), rec.path("uncompressedSize").asLong(-1), rec.path("compression").asText(),
                    rec.path("identity").asText(""));
        }
    }

    /** What lookups found damaged since the last call (a damaged entry is a miss, rebuilt, and said). */
    public List<String> drainWarnings() {
        synchronized (warnings) {
            List<String> out = List.copyOf(warnings);
            warnings.clear();
            return out;
        }
    }

    /** Records a blob written into {@link #blobsDir()} under {@code key}. */
    public void store(String key, LayerBlob blob) throws IOException {
        ObjectNode rec = dev.distrolix.json.JsonTrees.object();
        rec.put("digest", blob.digest().toString());
        rec.put("diffId", blob.diffId().toString());
        rec.put("size", blob.size());
        rec.put("uncompressedSize", blob.uncompressedSize());
        rec.put("compression", blob.compression().name());
        rec.put("identity", dev.distrolix.FileIdentity.of(blob.file()));
        Path tmp = dev.distrolix.TempFiles.createBeside(keyFile(key));
        try {
            Files.write(tmp, dev.distrolix.json.JsonTrees.write(rec));
            Files.move(tmp, keyFile(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path keyFile(String key) {
        return dir.resolve("keys").resolve(key + ".json");
    }

    /**
     * A hit is trusted when the blob is the very file recorded (same file identity, size and
     * modification time): re-hashing every cached blob made an unchanged rebuild cost as much as
     * reading it all. Anything else — another file, a record from before identities, a changed
     * file — is hashed in full. Bytes that rot in place without a new mtime are still caught: every
     * output and push verifies each blob's digest as it copies it, and {@link CacheVerification} reads them all.
     */
    private static boolean intact(Path blob, Digest digest, long size, String recorded) throws IOException {
        if (!Files.isRegularFile(blob) || Files.size(blob) != size) {
            return false;
        }
        if (!recorded.isEmpty() && recorded.equals(dev.distrolix.FileIdentity.of(blob))) {
            return true;
        }
        return Digest.sha256(blob).equals(digest);
    }

    /** How much the cache holds. */
    public record Usage(long layers, long blobs, long bytes) {}

    public Usage usage() throws IOException {
        long keys;
        try (Stream<Path> s = Files.list(dir.resolve("keys"))) {
            keys = s.filter(p -> p.toString().endsWith(".json")).count();
        }
        long blobs = 0;
        long bytes = 0;
        try (Stream<Path> s = Files.list(blobsDir())) {
            for (Path p : s.toList()) {
                blobs++;
                bytes += Files.size(p);
            }
        }
        return new Usage(keys, blobs, bytes);
    }

    /**
     * Removes entries not used for {@code olderThan} (all entries for zero), and every blob no
     * remaining entry names. Waits for running builds to finish (exclusive lock).
     */
    public static Usage prune(Path dir, Duration olderThan) throws IOException {
        try (LayerCache c = new LayerCache(dir, true)) {
            Instant cutoff = Instant.now().minus(olderThan);
            java.util.Set<String> kept = new java.util.HashSet<>();
            try (Stream<Path> s = Files.list(dir.resolve("keys"))) {
                for (Path k : s.toList()) {
                    if (isOld(k, cutoff, olderThan) || !k.toString().endsWith(".json")) {
                        Files.deleteIfExists(k);
                        continue;
                    }
                    try {
                        kept.add(Entry.read(k).digest().hex());
                    } catch (IOException | IllegalArgumentException e) {
                        Files.deleteIfExists(k);
                    }
                }
            }
            removeAllBut(c.blobsDir(), kept);
            Path scans = dir.resolve("scans"); // records of layer scans (inspect.scan.ScanCache), one per blob
            if (Files.isDirectory(scans)) {
                removeAllBut(scans, kept);
            }
            // records of closures (nix.ClosureRecords), of evaluations (nix.EvaluationRecords), of spec documents
            // (spec.SpecTreeRecords) and of NAR listings (nix.substituter.NarListingRecords): as old entries; a build
            // asks Nix again (parses, lists again) and records it anew
            for (Path records : List.of(dev.distrolix.nix.ClosureRecords.beside(dir),
                    dev.distrolix.nix.EvaluationRecords.beside(dir), dev.distrolix.spec.SpecTreeRecords.beside(dir),
                    dev.distrolix.nix.substituter.NarListingRecords.beside(dir))) {
                if (Files.isDirectory(records)) {
                    try (Stream<Path> s = Files.list(records)) {
                        for (Path f : s.toList()) {
                            if (isOld(f, cutoff, olderThan)) {
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                }
            }
            return c.usage();
        }
    }

    /** Whether {@code f} was last written before {@code cutoff} ({@code olderThan} zero: every file is). */
    private static boolean isOld(Path f, Instant cutoff, Duration olderThan) throws IOException {
        return olderThan.isZero() || Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
    }

    /** Deletes the files of {@code folder} whose names (blob hex digests) are not in {@code kept}. */
    private static void removeAllBut(Path folder, java.util.Set<String> kept) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.toList()) {
                if (!kept.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
