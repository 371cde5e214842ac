package dev.distrolix.inspect.audit;

import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.TarEntry;
import dev.distrolix.inspect.scan.ScanCollector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * dive's image efficiency, computed as dive does (filetree/efficiency.go) from the same pass:
 * every non-directory entry of every layer is an occurrence of its path, sized by its content; a
 * whiteout is an occurrence sized 0 for a deleted file and the lower layers' bytes below it for a
 * deleted directory (an opaque marker likewise for its directory).
 * <ul>
 *   <li>efficiency = Σ over paths of the smallest occurrence / Σ of all occurrences (1.0 if empty);
 *   <li>wasted bytes = Σ of all occurrences of the paths that occur in 2 or more layers;
 *   <li>user wasted share = wasted / the file bytes of every layer but the first (dive's
 *       {@code highestUserWastedPercent} compares this).
 * </ul>
 */
final class LayerEfficiency implements ScanCollector {
    /** Per path: occurrences, Σ sizes, smallest size. */
    private static final class Stat {
        int count;
        long total;
        long min = Long.MAX_VALUE;
    }

    /** One path that occurs in several layers. */
    record Waste(String path, int layers, long bytes) {}

    /** The result. */
    record Result(double efficiency, long wastedBytes, double userWastedShare, List<Waste> top) {}

    private final Map<String, Stat> stats = new HashMap<>();
    /** What the layers so far stack up to: path → size, non-directories only, for deleted subtrees. */
    private final TreeMap<String, Long> stacked = new TreeMap<>(FlatFilesystem.PATH_ORDER);
    private final List<Long> layerBytes = new ArrayList<>();

    @Override
    public void entry(LayerInfo layer, TarEntry e) {
        while (layerBytes.size() <= layer.index()) {
            layerBytes.add(0L);
        }
        if (e.isOpaqueMarker()) {
            occur(e.parent(), removeBelow(e.parent()));
            return;
        }
        String deleted = e.whiteoutTarget();
        if (deleted != null) {
            Long file = stacked.remove(deleted);
            occur(deleted, file != null ? 0 : removeBelow(deleted));
            return;
        }
        if (e.isWhiteoutMeta() || e.type() == FsEntry.Type.DIRECTORY) {
            return;
        }
        layerBytes.set(layer.index(), layerBytes.get(layer.index()) + e.size());
        stacked.put(e.path(), e.size());
        occur(e.path(), e.size());
    }

    private void occur(String path, long size) {
        Stat s = stats.computeIfAbsent(path, p -> new Stat());
        s.count++;
        s.total += size;
        s.min = Math.min(s.min, size);
    }

    private long removeBelow(String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        long sum = 0;
        var below = stacked.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
        for (long v : below.values()) {
            sum += v;
        }
        below.clear();
        return sum;
    }

    Result result() {
        long min = 0;
        long all = 0;
        long wasted = 0;
        List<Waste> waste = new ArrayList<>();
        for (Map.Entry<String, Stat> e : stats.entrySet()) {
            Stat s = e.getValue();
            min += s.min;
            all += s.total;
            if (s.count >= 2) {
                wasted += s.total;
                waste.add(new Waste(e.getKey(), s.count, s.total));
            }
        }
        long user = layerBytes.stream().skip(1).mapToLong(Long::longValue).sum();
        // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
        waste.sort((a, b) -> a.bytes() != b.bytes() ? Long.compare(b.bytes(), a.bytes()) : a.path().compareTo(b.path()));
        return new Result(all == 0 ? 1.0 : (double) min / all, wasted, user == 0 ? 0.0 : (double) wasted / user,
                List.copyOf(waste.subList(0, Math.min(10, waste.size()))));
    }
}
