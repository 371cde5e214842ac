package dev.distrolix.nix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtime closure of some roots: every store path reachable by references, with its info.
 * {@link #paths()} is sorted by base name so that everything derived from a closure is deterministic.
 */
public final class Closure {
    private final List<StorePath> roots;
    private final Map<StorePath, PathInfo> infos;

    public Closure(Collection<StorePath> roots, Collection<PathInfo> infos) {
        this.roots = List.copyOf(new TreeSet<>(roots));
        Map<StorePath, PathInfo> m = new LinkedHashMap<>();
        infos.stream().sorted((a, b) -> a.path().compareTo(b.path())).forEach(i -> m.put(i.path(), i));
        this.infos = java.util.Collections.unmodifiableMap(m);
        for (StorePath r : this.roots) {
            if (!m.containsKey(r)) {
                throw new IllegalArgumentException("closure lacks its root " + r);
            }
        }
        for (PathInfo i : m.values()) {
            for (StorePath ref : i.references()) {
                if (!m.containsKey(ref)) {
                    throw new IllegalArgumentException("closure is not closed: " + i.path() + " references " + ref);
                }
            }
        }
    }

    public List<StorePath> roots() {
        return roots;
    }

    /** All store paths, sorted by base name. */
    public List<StorePath> paths() {
        return List.copyOf(infos.keySet());
    }

    public PathInfo info(StorePath p) {
        PathInfo i = infos.get(p);
        if (i == null) {
            throw new IllegalArgumentException("not in closure: " + p);
        }
        return i;
    }

    public boolean contains(StorePath p) {
        return infos.containsKey(p);
    }

    public int size() {
        return infos.size();
    }

    public long totalNarSize() {
        return infos.values().stream().mapToLong(PathInfo::narSize).sum();
    }

    /** The NAR sizes of {@code paths} (each in this closure) added up: about a layer's bytes. */
    public long narSize(Collection<StorePath> paths) {
        long sum = 0;
        for (StorePath p : paths) {
            sum += info(p).narSize();
        }
        return sum;
    }

    /** Direct referrers of each path (the reverse graph), self-references excluded. */
    public Map<StorePath, Set<StorePath>> referrers() {
        Map<StorePath, Set<StorePath>> r = new HashMap<>();
        for (StorePath p : infos.keySet()) {
            r.put(p, new TreeSet<>());
        }
        for (PathInfo i : infos.values()) {
            for (StorePath ref : i.references()) {
                r.get(ref).add(i.path());
            }
        }
        return r;
    }

    /**
     * The closure of {@code roots} (each in this closure) within this one: one query for several platforms'
     * packages, split into each platform's closure.
     */
    public Closure of(Collection<StorePath> roots) {
        Set<StorePath> reached = new TreeSet<>();
        for (StorePath r : roots) {
            if (!reached.contains(r)) {
                reached.addAll(closureOf(r));
            }
        }
        List<PathInfo> sub = new ArrayList<>(reached.size());
        for (StorePath p : reached) {
            sub.add(infos.get(p));
        }
        return new Closure(roots, sub);
    }

    /** The closure of {@code from} within this closure, {@code from} included. */
    public Set<StorePath> closureOf(StorePath from) {
        Set<StorePath> seen = new TreeSet<>();
        List<StorePath> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            StorePath p = todo.remove(todo.size() - 1);
            if (seen.add(p)) {
                todo.addAll(info(p).references());
            }
        }
        return seen;
    }
}
