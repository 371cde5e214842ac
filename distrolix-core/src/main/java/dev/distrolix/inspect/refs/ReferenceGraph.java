package dev.distrolix.inspect.refs;

import dev.distrolix.inspect.StorePathIndex;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The references between an image's store paths, as reconstructed by {@link ReferenceScanner}:
 * for each store path (base name {@code <hash>-<name>}) the store paths it names, each with the
 * first file that names it (relative to the store path; "" when the store path is itself a file),
 * and which files outside the store name each store path. Self-references are left out, as
 * {@code nix-store -q --references} users usually want.
 */
public final class ReferenceGraph {
    private final SortedMap<String, SortedMap<String, String>> refs;
    private final SortedMap<String, SortedSet<String>> outside;
    private final StorePathIndex store;
    private final Map<String, SortedSet<String>> referrers = new TreeMap<>();

    ReferenceGraph(SortedMap<String, SortedMap<String, String>> refs, SortedMap<String, SortedSet<String>> outside,
                   StorePathIndex store) {
        this.refs = refs;
        this.outside = outside;
        this.store = store;
        refs.keySet().forEach(p -> referrers.put(p, new TreeSet<>()));
        refs.forEach((from, tos) -> tos.keySet().forEach(to -> referrers.get(to).add(from)));
    }

    public StorePathIndex store() {
        return store;
    }

    /** Every store path's base name, sorted. */
    public Set<String> paths() {
        return Collections.unmodifiableSet(refs.keySet());
    }

    /** Direct references of a store path (base names), each with the file that names it. */
    public SortedMap<String, String> references(String base) {
        SortedMap<String, String> r = refs.get(base);
        return r == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(r);
    }

    /** The store paths that name {@code base}. */
    public SortedSet<String> referrers(String base) {
        SortedSet<String> r = referrers.get(base);
        return r == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(r);
    }

    /** Files outside /nix/store that name {@code base} (symlinks into the store, configuration). */
    public SortedSet<String> outsideReferrers(String base) {
        SortedSet<String> r = outside.get(base);
        return r == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(r);
    }

    /** Store paths no other store path names: what the closure was built for. */
    public SortedSet<String> roots() {
        SortedSet<String> out = new TreeSet<>();
        referrers.forEach((p, r) -> {
            if (r.isEmpty()) {
                out.add(p);
            }
        });
        return out;
    }

    /** Number of edges. */
    public int edgeCount() {
        return refs.values().stream().mapToInt(Map::size).sum();
    }

    /** {@code from} and everything it references, transitively. */
    public SortedSet<String> closure(String from) {
        return reachable(List.of(from), null);
    }

    /** What {@code starts} reach, not passing through {@code avoid} (may be null). */
    public SortedSet<String> reachable(Collection<String> starts, String avoid) {
        SortedSet<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String s : starts) {
            if (!s.equals(avoid) && refs.containsKey(s)) {
                todo.add(s);
            }
        }
        while (!todo.isEmpty()) {
            String p = todo.poll();
            if (seen.add(p)) {
                for (String r : references(p).keySet()) {
                    if (!r.equals(avoid)) {
                        todo.add(r);
                    }
                }
            }
        }
        return seen;
    }

    /**
     * A shortest chain of references from one of {@code starts} to {@code target} (both ends
     * included), or an empty list if none reaches it. Breadth-first, neighbours in name order, so
     * the answer is deterministic.
     */
    public List<String> shortestChain(Collection<String> starts, String target) {
        Map<String, String> parent = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String s : new TreeSet<>(starts)) {
            if (refs.containsKey(s) && !parent.containsKey(s)) {
                parent.put(s, null);
                todo.add(s);
            }
        }
        while (!todo.isEmpty()) {
            String p = todo.poll();
            if (p.equals(target)) {
                java.util.LinkedList<String> chain = new java.util.LinkedList<>();
                for (String c = p; c != null; c = parent.get(c)) {
                    chain.addFirst(c);
                }
                return chain;
            }
            for (String r : references(p).keySet()) {
                if (!parent.containsKey(r)) {
                    parent.put(r, p);
                    todo.add(r);
                }
            }
        }
        return List.of();
    }

    /** Bytes of the given store paths' files. */
    public long size(Collection<String> bases) {
        long sum = 0;
        for (String b : bases) {
            StorePathIndex.Entry e = store.get(b);
            sum += e == null ? 0 : e.size();
        }
        return sum;
    }
}
