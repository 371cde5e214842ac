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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which repositories of a registry are known to hold a blob, remembered between runs (like
 * skopeo's blob-info cache), so a push to a new repository can mount instead of upload. One
 * small JSON file per registry under {@code <cacheDir>/blob-locations/}; updates merge with
 * what other processes wrote, under a file lock, and replace the file atomically. The cache is
 * only a hint: a stale entry costs one mount that answers 202, which becomes the upload.
 */
final class BlobLocations {
    static final int REPOS_PER_BLOB = 4;
    static final int MAX_BLOBS = 20_000;

    private final Path file;
    private final Map<String, List<String>> known;
    private final Map<String, List<String>> added = new LinkedHashMap<>();

    private BlobLocations(Path file, Map<String, List<String>> known) {
        this.file = file;
        this.known = known;
    }

    /** The cache of {@code registry} under {@code cacheDir}; an unreadable cache is an empty one. */
    static BlobLocations load(Path cacheDir, String registry) {
        if (cacheDir == null) {
            return new BlobLocations(null, new LinkedHashMap<>());
        }
        Path file = cacheDir.resolve("blob-locations").resolve(registry.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        return new BlobLocations(file, read(file));
    }

    synchronized List<String> repositoriesWith(Digest digest) {
        return List.copyOf(known.getOrDefault(digest.toString(), List.of()));
    }

    synchronized void add(Digest digest, String repository) {
        List<String> repos = known.get(digest.toString());
        if (repos != null && !repos.isEmpty() && repos.get(0).equals(repository)) {
            // already the first place named: the file is not rewritten for it (an unchanged re-push writes
            // nothing), at the price of its age, which only decides what goes first past MAX_BLOBS
            return;
        }
        addTo(known, digest.toString(), repository);
        addTo(added, digest.toString(), repository);
    }

    /** Merges what this run learned into the file; failures are ignored (it is a cache). */
    synchronized void save() {
        if (file == null || added.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Map<String, List<String>> merged = read(file);
                added.forEach((d, repos) -> repos.forEach(r -> addTo(merged, d, r)));
                while (merged.size() > MAX_BLOBS) {
                    Iterator<String> oldest = merged.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                }
                ObjectNode root = dev.distrolix.json.JsonTrees.object();
                merged.forEach((d, repos) -> repos.forEach(root.withArray(d)::add));
                dev.distrolix.TempFiles.sweep(file.getParent()); // what killed runs left
                Path temp = dev.distrolix.TempFiles.createBeside(file);
                try {
                    Files.write(temp, dev.distrolix.json.JsonTrees.write(root));
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            added.clear();
        } catch (IOException | RuntimeException ignored) {
            // a read-only home or a full disk must not fail a push that worked
        }
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
