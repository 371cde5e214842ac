package dev.distrolix.inspect.refs;

import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.inspect.TarEntry;
import dev.distrolix.inspect.scan.ContentSink;
import dev.distrolix.inspect.scan.RecordableCollector;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rebuilds the store's reference graph from file contents, the way Nix finds references after a
 * build: every 32-character window of nix32 characters in a file's bytes or a symlink's target is
 * a candidate, and a candidate that is the hash part of another store path of the image is a
 * reference. The image's layers are streamed once, and a file may name a store path whose layer
 * comes later, so candidates are kept per referrer and matched against the store paths at the end
 * (in practice few: store hashes, plus the odd hex string without an 'e').
 *
 * <p>Referrers are store paths (for files under {@code /nix/store/<hash>-<name>}) and, for
 * the roots, files outside the store ({@code /usr/local/bin/nginx -> /nix/store/…}). File names
 * are not scanned (Nix scans them too, as part of the NAR, but a hash in a name is unheard of).
 */
public final class ReferenceScanner implements RecordableCollector {
    /** referrer (store base name, or absolute path outside the store) → candidate hash → first file naming it. */
    private final Map<String, Map<String, String>> candidates = new HashMap<>();
    private final Map<String, Integer> outsideLayer = new HashMap<>();
    /** The candidates of the file read last, in the order found: what a record of its layer keeps. */
    private LinkedHashSet<String> lastFile;

    @Override
    public void entry(LayerInfo layer, TarEntry e) {
        if (e.type() == FsEntry.Type.SYMLINK) {
            Referrer r = referrer(layer, e);
            HashWindowScanner.scan(e.linkTarget(), hash -> r.add(hash));
        }
    }

    @Override
    public ContentSink open(LayerInfo layer, TarEntry file) {
        Referrer r = referrer(layer, file);
        LinkedHashSet<String> found = new LinkedHashSet<>();
        lastFile = found;
        HashWindowScanner scanner = new HashWindowScanner(hash -> {
            if (found.add(hash)) {
                r.add(hash);
            }
        });
        return (b, off, len) -> {
            scanner.update(b, off, len);
            return true;
        };
    }

    @Override
    public List<String> fileFindings() {
        return lastFile == null ? List.of() : List.copyOf(lastFile);
    }

    @Override
    public void replayFile(LayerInfo layer, TarEntry file, List<String> findings) {
        Referrer r = referrer(layer, file);
        findings.forEach(r::add);
    }

    /** Where a file's references are recorded, and the name they are recorded under. */
    private final class Referrer {
        final String key;
        final String file;
        Map<String, String> found;

        Referrer(String key, String file) {
            this.key = key;
            this.file = file;
        }

        void add(String hash) {
            if (found == null) {
                found = candidates.computeIfAbsent(key, k -> new HashMap<>());
            }
            found.putIfAbsent(hash, file);
        }
    }

    private Referrer referrer(LayerInfo layer, TarEntry e) {
        String base = StorePathIndex.storePathOf(e.path());
        if (base != null) {
            String root = "/nix/store/" + base;
            return new Referrer(base, e.path().length() == root.length() ? "" : e.path().substring(root.length() + 1));
        }
        if (!outsideLayer.containsKey(e.path()) || outsideLayer.get(e.path()) != layer.index()) {
            candidates.remove(e.path()); // a later layer replaced the file: its old content no longer counts
        }
        outsideLayer.put(e.path(), layer.index());
        return new Referrer(e.path(), e.path());
    }

    /** The graph over the store paths the merged filesystem holds. */
    public ReferenceGraph graph(FlatFilesystem fs, StorePathIndex store) {
        Map<String, String> byHash = new HashMap<>();
        for (StorePathIndex.Entry e : store.entries()) {
            byHash.put(e.hash(), e.baseName());
        }
        SortedMap<String, SortedMap<String, String>> refs = new TreeMap<>();
        SortedMap<String, SortedSet<String>> outside = new TreeMap<>();
        for (StorePathIndex.Entry e : store.entries()) {
            refs.put(e.baseName(), new TreeMap<>());
        }
        candidates.forEach((referrer, found) -> {
            boolean inStore = !referrer.startsWith("/");
            if (inStore && !refs.containsKey(referrer)) {
                return; // a store path a later layer deleted
            }
            if (!inStore) {
                FsEntry now = fs.get(referrer);
                if (now == null || now.layer() != outsideLayer.get(referrer)) {
                    return;
                }
            }
            found.forEach((hash, file) -> {
                String target = byHash.get(hash);
                if (target == null || target.equals(referrer)) {
                    return;
                }
                if (inStore) {
                    refs.get(referrer).put(target, file);
                } else {
                    outside.computeIfAbsent(target, t -> new TreeSet<>()).add(referrer);
                }
            });
        });
        return new ReferenceGraph(refs, outside, store);
    }
}
