package dev.distrolix.build;

import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.substituter.NarListingRecords;
import dev.distrolix.nix.substituter.SubstituterStoreSource;
import dev.distrolix.rootfs.StoreDirectoryLister;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Directories inside the locked store paths, listed from their NARs (a build from a lock reads nothing from
 * /nix/store), symlinks followed as the file system would; nothing outside the locked closure is found. A path's
 * listing is taken from its record beside the layer cache ({@code records}) where there is one for the NarHash the
 * lock pins (a warm build then fetches no NAR at all), else read from its NAR (checked) and recorded.
 */
final class LockedStoreLister implements StoreDirectoryLister {
    private final SubstituterStoreSource source;
    private final Set<StorePath> locked;
    private final NarListingRecords records;

    LockedStoreLister(SubstituterStoreSource source, Set<StorePath> locked, NarListingRecords records) {
        this.source = source;
        this.locked = Set.copyOf(locked);
        this.records = records;
    }

    @Override
    public List<Listed> list(String storeDirectory) throws IOException {
        Located d = resolve(storeDirectory, true, 0);
        List<Listed> out = new ArrayList<>();
        String prefix = d.rel().isEmpty() ? "" : d.rel() + "/";
        for (Map.Entry<String, SubstituterStoreSource.Node> e : source.listing(d.path(), records).entrySet()) {
            String k = e.getKey();
            if (!k.isEmpty() && k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0) {
                out.add(new Listed(k.substring(prefix.length()), e.getValue().directory()));
            }
        }
        out.sort((a, b) -> java.util.Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
                b.name().getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    @Override
    public boolean isDirectory(String storeFullPath) throws IOException {
        try {
            Located l = resolve(storeFullPath, false, 0);
            SubstituterStoreSource.Node n = source.listing(l.path(), records).get(l.rel());
            return n != null && n.directory();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private record Located(StorePath path, String rel) {}

    /** A full path inside the closure, symlinks followed (the last one only if {@code followLast}). */
    private Located resolve(String full, boolean followLast, int hops) throws IOException {
        if (hops > 40) {
            throw new IOException("too many levels of symbolic links: " + full);
        }
        String storeDir = StorePath.DEFAULT_STORE_DIR + "/";
        if (!full.startsWith(storeDir)) {
            throw new NoSuchFileException(full + " (not in " + StorePath.DEFAULT_STORE_DIR + ")");
        }
        String rest = full.substring(storeDir.length());
        int slash = rest.indexOf('/');
        StorePath sp;
        try {
            sp = StorePath.fromBaseName(StorePath.DEFAULT_STORE_DIR, slash < 0 ? rest : rest.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new NoSuchFileException(full);
        }
        if (!locked.contains(sp)) {
            throw new NoSuchFileException(full + " (not in the locked closure)");
        }
        Map<String, SubstituterStoreSource.Node> listing = source.listing(sp, records);
        List<String> parts = slash < 0 ? List.of() : List.of(rest.substring(slash + 1).split("/"));
        List<String> at = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (at.isEmpty()) {
                    throw new NoSuchFileException(full);
                }
                at.remove(at.size() - 1);
                continue;
            }
            at.add(part);
            String rel = String.join("/", at);
            SubstituterStoreSource.Node n = listing.get(rel);
            if (n == null) {
                throw new NoSuchFileException(full);
            }
            boolean last = i == parts.size() - 1;
            if (n.symlinkTarget() != null && (!last || followLast)) {
                String target = n.symlinkTarget();
                String base = sp.fullPath() + (at.size() > 1 ? "/" + String.join("/", at.subList(0, at.size() - 1)) : "");
                String next = target.startsWith("/") ? target : base + "/" + target;
                String remaining = String.join("/", parts.subList(i + 1, parts.size()));
                return resolve(normalize(remaining.isEmpty() ? next : next + "/" + remaining), followLast, hops + 1);
            }
        }
        return new Located(sp, String.join("/", at));
    }

    private static String normalize(String p) {
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(s);
            }
        }
        return "/" + String.join("/", out);
    }
}
