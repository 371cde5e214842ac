package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A closure's reference graph with paths numbered 0..n-1 (in {@link Closure#paths()} order), so
 * the algorithms can use arrays and bit sets instead of maps of records.
 */
final class Graph {
    /** Ties between otherwise equal paths: by name, then by hash (a rebuilt path keeps its name). */
    static final Comparator<StorePath> BY_NAME_THEN_HASH = StorePath::compareByName;

    final List<StorePath> paths;
    final long[] narSize;
    final int[][] refs;
    final int[][] referrers;

    Graph(Closure closure) {
        paths = closure.paths();
        int n = paths.size();
        Map<StorePath, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(paths.get(i), i);
        }
        // Plain loops, not a stream per path: a closure of thousands of paths is numbered in a fresh JVM, where
        // each stream's pipeline runs interpreted (two per path took ~15 ms of a 3,001-path build).
        narSize = new long[n];
        refs = new int[n][];
        int[] referrerCount = new int[n];
        for (int i = 0; i < n; i++) {
            PathInfo info = closure.info(paths.get(i));
            narSize[i] = info.narSize();
            List<StorePath> references = info.references(); // self-references already dropped
            int[] r = new int[references.size()];
            for (int j = 0; j < r.length; j++) {
                r[j] = index.get(references.get(j));
                referrerCount[r[j]]++;
            }
            refs[i] = r;
        }
        referrers = new int[n][];
        for (int i = 0; i < n; i++) {
            referrers[i] = new int[referrerCount[i]];
        }
        int[] filled = new int[n];
        for (int i = 0; i < n; i++) { // referrers in path order, as before
            for (int r : refs[i]) {
                referrers[r][filled[r]++] = i;
            }
        }
    }

    int size() {
        return paths.size();
    }

    /** Everything reachable from {@code i} through {@code edges}, {@code i} itself excluded. */
    BitSet reachable(int i, int[][] edges) {
        BitSet seen = new BitSet(size());
        int[] stack = new int[size()];
        int top = 0;
        stack[top++] = i;
        while (top > 0) {
            for (int next : edges[stack[--top]]) {
                if (!seen.get(next)) {
                    seen.set(next);
                    stack[top++] = next;
                }
            }
        }
        seen.clear(i); // only possible with a reference cycle, which Nix forbids; be safe anyway
        return seen;
    }

    /** Dependencies of {@code i} (its closure without itself). */
    BitSet dependencies(int i) {
        return reachable(i, refs);
    }

    /** Paths that depend on {@code i}, directly or not. */
    BitSet users(int i) {
        return reachable(i, referrers);
    }

    /**
     * Kahn's algorithm; among the paths ready at each step the smallest by {@code tieBreak} comes
     * first. {@code dependenciesFirst} gives base-to-top order, otherwise referrers come first.
     */
    int[] topological(boolean dependenciesFirst, Comparator<StorePath> tieBreak) {
        int n = size();
        int[][] before = dependenciesFirst ? refs : referrers;
        int[][] after = dependenciesFirst ? referrers : refs;
        int[] pending = new int[n];
        PriorityQueue<Integer> ready = new PriorityQueue<>((a, b) -> tieBreak.compare(paths.get(a), paths.get(b)));
        for (int i = 0; i < n; i++) {
            pending[i] = before[i].length;
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order[k++] = i;
            for (int j : after[i]) {
                if (--pending[j] == 0) {
                    ready.add(j);
                }
            }
        }
        if (k != n) {
            throw new IllegalStateException("the reference graph has a cycle"); // Nix never produces one
        }
        return order;
    }

    List<StorePath> toPaths(int[] indices) {
        List<StorePath> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(paths.get(i));
        }
        return out;
    }
}
