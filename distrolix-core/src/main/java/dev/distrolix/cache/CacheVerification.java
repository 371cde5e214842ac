package dev.distrolix.cache;

import dev.distrolix.DistrolixException;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.FileLayer;
import dev.distrolix.image.LayerStream;
import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code distrolix cache verify}: every entry's blob read in full, its size and digest checked and its tar's
 * diff_id and size too, against what the entry recorded. A build trusts a hit whose file is the very file it
 * recorded (its identity, size and time), so bytes that rot in place are caught only when a blob is copied out or
 * pushed; this finds them first. A damaged entry is dropped (its record and blob), as a build's lookup drops one
 * it finds damaged: the next build makes that layer again.
 */
public final class CacheVerification {
    /** An entry dropped: its blob's digest (or the record's name when the record is unreadable), and why. */
    public record Damaged(String name, String reason) {}

    /** The entries and distinct blobs found intact, their bytes, what was dropped, blobs no entry names. */
    public record Report(long entries, long blobs, long bytes, List<Damaged> damaged, long unnamedBlobs) {
        public boolean intact() {
            return damaged.isEmpty();
        }
    }

    private CacheVerification() {
    }

    /**
     * Checks the cache in {@code dir} (which must exist). Holds the lock a build holds, so builds may run beside
     * it; {@code distrolix cache prune} waits for it.
     */
    public static Report verify(Path dir) throws IOException {
        if (!Files.isDirectory(dir.resolve("keys"))) {
            throw new dev.distrolix.InputException(dir + ": no layer cache here (no keys/ folder)");
        }
        try (LayerCache cache = LayerCache.open(dir)) {
            List<Path> keys;
            try (Stream<Path> s = Files.list(dir.resolve("keys"))) {
                keys = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            }
            List<Damaged> damaged = new ArrayList<>();
            // each blob once, with every entry that names it
            Map<String, Named> blobs = new LinkedHashMap<>();
            for (Path key : keys) {
                try {
                    LayerBlob blob = recorded(cache, key);
                    blobs.computeIfAbsent(blob.digest().hex(), h -> new Named(blob, new ArrayList<>())).keys().add(key);
                } catch (IOException | IllegalArgumentException e) {
                    damaged.add(new Damaged(key.getFileName().toString(), "its record is unreadable"));
                    Files.deleteIfExists(key);
                }
            }
            long bytes = 0;
            long entries = 0;
            long intactBlobs = 0;
            for (Named named : blobs.values()) {
                LayerBlob blob = named.blob();
                String wrong = check(blob);
                if (wrong == null) {
                    bytes += blob.size();
                    intactBlobs++;
                    entries += named.keys().size();
                    continue;
                }
                damaged.add(new Damaged(blob.digest().hex(), wrong));
                for (Path key : named.keys()) {
                    Files.deleteIfExists(key);
                }
                Files.deleteIfExists(blob.file());
            }
            long unnamed;
            try (Stream<Path> s = Files.list(cache.blobsDir())) {
                unnamed = s.map(p -> p.getFileName().toString())
                        .filter(n -> Digest.isSha256Hex(n) && !blobs.containsKey(n)).count();
            }
            return new Report(entries, intactBlobs, bytes, List.copyOf(damaged), unnamed);
        }
    }

    /** A blob as its first entry records it, and every entry that names it. */
    private record Named(LayerBlob blob, List<Path> keys) {
    }

    private static LayerBlob recorded(LayerCache cache, Path key) throws IOException {
        LayerCache.Entry e = LayerCache.Entry.read(key);
        return new LayerBlob(cache.blobsDir().resolve(e.digest().hex()), e.digest(), e.size(), e.diffId(),
                e.uncompressedSize(), Compression.valueOf(e.compression()));
    }

    /** Null when the blob is what its entry says; otherwise what is wrong, in a few words. */
    private static String check(LayerBlob blob) throws IOException {
        if (!Files.isRegularFile(blob.file())) {
            return "its blob is missing";
        }
        long size = Files.size(blob.file());
        if (size != blob.size()) {
            return "its blob is " + size + " bytes, the entry says " + blob.size();
        }
        FileLayer layer = new FileLayer(blob);
        try (LayerStream tar = layer.uncompressed()) {
            tar.drain(); // checks the blob's digest and size and the tar's diff_id at its end
            if (blob.uncompressedSize() >= 0 && tar.uncompressedSize() != blob.uncompressedSize()) {
                return "its tar is " + tar.uncompressedSize() + " bytes, the entry says " + blob.uncompressedSize();
            }
            return null;
        } catch (DistrolixException | UncheckedIOException e) {
            // the stream's messages name the layer first; the caller names the blob
            String m = String.valueOf(e.getMessage());
            String prefix = layer.label() + ": ";
            return (m.startsWith(prefix) ? m.substring(prefix.length()) : m).lines().findFirst().orElse(m);
        }
    }
}
