package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which repositories of a registry are known to hold a blob, remembered between runs (like
 * skopeo's blob-info cache), so a push to a new repository can mount instead of upload. One
 * folder per registry under {@code <cacheDir>/blob-locations/}, its blobs in {@value #SHARDS} small JSON files by
 * their digest's first two hex digits, each read only when a blob of its own is asked about: a push reads a few kB
 * however many blobs are known (one file of 20,000 blobs, 2 MB, made an edit + push 2.2x slower and 41 MB bigger).
 * Updates merge with what other processes wrote, under the folder's lock, and replace each file atomically. The
 * cache is only a hint: a stale entry costs one mount that answers 202, which becomes the upload.
 */
final class BlobLocations {
    static final int REPOS_PER_BLOB = 4;
    static final int MAX_BLOBS = 20_000;
    static final int SHARDS = 256;
    /** Each file's bound: {@link #MAX_BLOBS} over all of a registry's files. */
    static final int MAX_BLOBS_PER_SHARD = MAX_BLOBS / SHARDS;

    private final Path dir;
    /** The files read so far, by shard name. */
    private final Map<String, Map<String, List<String>>> known = new HashMap<>();
    /** What this run learned, by shard name. */
    private final Map<String, Map<String, List<String>>> added = new LinkedHashMap<>();

    private BlobLocations(Path dir) {
        this.dir = dir;
    }

    /** The cache of {@code registry} under {@code cacheDir} (null: nowhere); an unreadable file is an empty one. */
    static BlobLocations load(Path cacheDir, String registry) {
        return new BlobLocations(cacheDir == null ? null
                : cacheDir.resolve("blob-locations").resolve(registry.replaceAll("[^A-Za-z0-9._-]", "_")));
    }

    synchronized List<String> repositoriesWith(Digest digest) {
        return List.copyOf(shard(digest).getOrDefault(digest.toString(), List.of()));
    }

    synchronized void add(Digest digest, String repository) {
        Map<String, List<String>> shard = shard(digest);
        List<String> repos = shard.get(digest.toString());
        if (repos != null && !repos.isEmpty() && repos.get(0).equals(repository)) {
            // already the first place named: the file is not rewritten for it, at the price of its age, which only
            // decides what goes first past the bound
            return;
        }
        addTo(shard, digest.toString(), repository);
        addTo(added.computeIfAbsent(shardName(digest), k -> new LinkedHashMap<>()), digest.toString(), repository);
    }

    /** Merges what this run learned into the files it touched; failures are ignored (it is a cache). */
    synchronized void save() {
        if (dir == null || added.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                dev.distrolix.TempFiles.sweep(dir); // what killed runs left
                for (Map.Entry<String, Map<String, List<String>>> shard : added.entrySet()) {
                    Path file = dir.resolve(shard.getKey() + ".json");
                    Map<String, List<String>> merged = read(file);
                    shard.getValue().forEach((d, repos) -> repos.forEach(r -> addTo(merged, d, r)));
                    while (merged.size() > MAX_BLOBS_PER_SHARD) {
                        Iterator<String> oldest = merged.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                    }
                    ObjectNode root = dev.distrolix.json.JsonTrees.object();
                    merged.forEach((d, repos) -> repos.forEach(root.withArray(d)::add));
                    Path temp = dev.distrolix.TempFiles.createBeside(file);
                    try {
                        Files.write(temp, dev.distrolix.json.JsonTrees.write(root));
                        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } finally {
                        Files.deleteIfExists(temp);
                    }
                }
            }
            // the one file per registry of earlier versions: never read again
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".json"));
            added.clear();
        } catch (IOException | RuntimeException ignored) {
            // a read-only home or a full disk must not fail a push that worked
        }
    }

    /** The file {@code digest} belongs to, read at its first use. */
    private Map<String, List<String>> shard(Digest digest) {
        return known.computeIfAbsent(shardName(digest),
                name -> dir == null ? new LinkedHashMap<>() : read(dir.resolve(name + ".json")));
    }

    /** The first two hex digits of the digest's hash (lowercase hex, at least 32 digits). */
    static String shardName(Digest digest) {
        return digest.hex().substring(0, 2);
    }

    /** Most recent first; a blob moves to the end of the map (newest) when touched. */
    private static void addTo(Map<String, List<String>> map, String digest, String repository) {
        List<String> repos = new ArrayList<>(map.getOrDefault(digest, List.of()));
        repos.remove(repository);
        repos.add(0, repository);
        map.remove(digest);
        map.put(digest, repos.size() > REPOS_PER_BLOB ? repos.subList(0, REPOS_PER_BLOB) : repos);
    }

    private static Map<String, List<String>> read(Path file) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        try {
            JsonNode root = dev.distrolix.json.JsonTrees.read(Files.readAllBytes(file));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> repos = new ArrayList<>();
                e.getValue().forEach(r -> repos.add(r.asText()));
                map.put(e.getKey(), repos);
            }
        } catch (NoSuchFileException absent) {
            // nothing known yet
        } catch (IOException | RuntimeException unreadable) {
            map.clear(); // a damaged cache is dropped
        }
        return map;
    }
}
