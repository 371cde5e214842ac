package dev.distrolix.inspect;

import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.DrvName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Nix store paths an image's flattened filesystem holds under /nix/store — whoever built the
 * image (distrolix, dockerTools, nix2container, a Dockerfile copying a closure). Each has its
 * name and version split like Nix's {@code parseDrvName} (via {@link DrvName}), the bytes of its
 * regular files, its number of entries and the layer its top directory comes from. Entries of
 * /nix/store that are not store paths (e.g. {@code .links}) are ignored.
 */
public final class StorePathIndex {
    static final String STORE = "/nix/store/";

    /**
     * One store path in the image. {@code share} is its part of all regular-file bytes, 0..1;
     * {@code layer} is 0-based, the layer its top directory comes from; {@code files} counts its entries.
     */
    public record Entry(String path, String baseName, String hash, String name, String version, long size,
                        int files, int layer, double share) {
        /** {@code name version}, or just the name when there is no version. */
        public String nameAndVersion() {
            return version.isEmpty() ? name : name + " " + version;
        }
    }

    private final Map<String, Entry> byBaseName;

    private StorePathIndex(Map<String, Entry> byBaseName) {
        this.byBaseName = Collections.unmodifiableMap(byBaseName);
    }

    public static StorePathIndex of(FlatFilesystem fs) {
        Map<String, long[]> sizes = new TreeMap<>(); // base → {bytes, files, layer}
        for (FsEntry e : fs.entries()) {
            String base = storePathOf(e.path());
            if (base == null) {
                continue;
            }
            long[] acc = sizes.computeIfAbsent(base, b -> new long[] {0, 0, e.layer()});
            acc[0] += e.size();
            acc[1]++;
            if (e.path().equals(STORE + base)) {
                acc[2] = e.layer();
            }
        }
        long total = Math.max(1, fs.totalFileBytes());
        Map<String, Entry> out = new TreeMap<>();
        sizes.forEach((base, acc) -> {
            StorePath sp = StorePath.fromBaseName("/nix/store", base);
            DrvName dn = DrvName.parse(sp.name());
            out.put(base, new Entry(sp.fullPath(), base, sp.hashPart(), dn.name(), dn.version(), acc[0], (int) acc[1],
                    (int) acc[2], (double) acc[0] / total));
        });
        return new StorePathIndex(out);
    }

    /** The store paths, ordered by base name. */
    public List<Entry> entries() {
        return new ArrayList<>(byBaseName.values());
    }

    /** The store path with this base name ({@code <hash>-<name>}), or null. */
    public Entry get(String baseName) {
        return byBaseName.get(baseName);
    }

    public int size() {
        return byBaseName.size();
    }

    public boolean isEmpty() {
        return byBaseName.isEmpty();
    }

    /** Sum of the store paths' file bytes. */
    public long totalSize() {
        return byBaseName.values().stream().mapToLong(Entry::size).sum();
    }

    /** The base name of the store path an image path lies in ({@code /nix/store/<base>[/…]}), or null. */
    public static String storePathOf(String path) {
        if (!path.startsWith(STORE)) {
            return null;
        }
        int end = path.indexOf('/', STORE.length());
        String base = end < 0 ? path.substring(STORE.length()) : path.substring(STORE.length(), end);
        return StorePath.isStorePath("/nix/store/" + base) ? base : null;
    }
}
