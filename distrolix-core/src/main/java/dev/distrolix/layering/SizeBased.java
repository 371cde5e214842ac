package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nixpkgs' "auto-layer" ({@code pkgs/build-support/docker/auto-layer.py}, the dockerTools default
 * since 25.11), re-implemented from its rules.
 *
 * <p><b>Rules.</b> Take paths by descending NAR size as <em>primaries</em>, one at a time. Every
 * path is labelled with a set of primaries, and paths with equal labels share a layer; a primary
 * P is labelled {P}. When P is added, each dependency d of P first loses from its label the
 * primaries that depend on P (P is closer to d than they are), then gains P unless its label
 * still holds a primary that is itself a dependency of P (that one is closer). The resulting
 * label of d is the set of <em>nearest</em> primaries above it: a dependency reachable only
 * through P joins P's layer; a dependency shared by several primaries gets one layer per distinct
 * set of nearest users; paths under no primary keep the empty label and share one layer. Adding
 * stops as soon as the next primary would make more distinct labels than {@code maxStoreLayers};
 * the labelling before it is kept. Layers are ordered by the NAR size of their closure, smallest
 * first, so a layer comes after the layers it depends on.
 *
 * <p><b>Differences from nixpkgs.</b> (1) Ties: Python's stable sort leaves equal-size paths in
 * exportReferencesGraph order (by hash), so a rebuild that only changes hashes can reorder them;
 * we take equal sizes by name, then hash, which keeps layer boundaries stable across rebuilds of
 * many same-sized paths. (2) Layers of equal closure size, which Python orders by set iteration
 * order, are ordered by their paths' names here. (3) nixpkgs' ignore list (the customisation
 * layer's own paths) does not apply: the closure never contains them.
 */
public final class SizeBased implements LayeringStrategy {
    public static final String NAME = "size";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<List<StorePath>> plan(Closure closure, int maxStoreLayers) {
        Layering.requireStoreLayers(maxStoreLayers);
        Graph g = new Graph(closure);
        BitSet[] labels = label(g, maxStoreLayers);

        Map<BitSet, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < g.size(); i++) {
            byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        List<Layer> layers = new ArrayList<>();
        for (List<Integer> members : byLabel.values()) {
            List<StorePath> paths = new ArrayList<>();
            BitSet closureOfLayer = new BitSet(g.size());
            for (int i : members) {
                paths.add(g.paths.get(i));
                closureOfLayer.set(i);
                closureOfLayer.or(g.dependencies(i));
            }
            paths.sort(Graph.BY_NAME_THEN_HASH);
            long closureSize = closureOfLayer.stream().mapToLong(i -> g.narSize[i]).sum();
            layers.add(new Layer(List.copyOf(paths), closureSize));
        }
        // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
        layers.sort((a, b) -> a.closureSize() != b.closureSize() ? Long.compare(a.closureSize(), b.closureSize())
                : compareByNames(a.paths(), b.paths()));
        return layers.stream().map(Layer::paths).toList();
    }

    /** The label (set of nearest primaries, as bit indices) of every path at the chosen split. */
    static BitSet[] label(Graph g, int maxStoreLayers) {
        int n = g.size();
        BitSet[] labels = new BitSet[n];
        BitSet none = new BitSet();
        for (int i = 0; i < n; i++) {
            labels[i] = none;
        }
        for (int primary : primariesBySize(g)) {
            BitSet[] next = labels.clone(); // labels are never mutated in place: sharing is safe
            next[primary] = single(primary);
            BitSet deps = g.dependencies(primary);
            BitSet users = g.users(primary);
            for (int d = deps.nextSetBit(0); d >= 0; d = deps.nextSetBit(d + 1)) {
                BitSet l = (BitSet) next[d].clone();
                l.andNot(users);
                if (!l.intersects(deps)) {
                    l.set(primary);
                }
                next[d] = l;
            }
            if (distinct(next) > maxStoreLayers) {
                break; // one primary too many: keep the previous split
            }
            labels = next;
        }
        return labels;
    }

    /** Largest NAR first; equal sizes by name, then hash. */
    private static List<Integer> primariesBySize(Graph g) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> g.narSize[a] != g.narSize[b] ? Long.compare(g.narSize[b], g.narSize[a])
                : Graph.BY_NAME_THEN_HASH.compare(g.paths.get(a), g.paths.get(b)));
        return order;
    }

    private static BitSet single(int i) {
        BitSet b = new BitSet();
        b.set(i);
        return b;
    }

    private static int distinct(BitSet[] labels) {
        return new HashSet<>(List.of(labels)).size();
    }

    private static int compareByNames(List<StorePath> a, List<StorePath> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Graph.BY_NAME_THEN_HASH.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private record Layer(List<StorePath> paths, long closureSize) {}
}
