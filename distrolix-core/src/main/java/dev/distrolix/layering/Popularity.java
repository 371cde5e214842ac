package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * dockerTools' legacy "popularity contest" ({@code references-by-popularity}, and the
 * {@code popularity_contest} + {@code limit_layers} layering pipeline of nixpkgs).
 *
 * <p><b>Score.</b> nixpkgs expands the reference DAG into a tree from the roots (paths nobody in
 * the closure references), then folds counters up the tree: for each tree node it adds 1 to the
 * node and (its score within the child's subtree + 1) for every path below a child. Unrolled, the
 * score of a path y is the number of tree nodes whose subtree contains y — i.e.
 * {@code score(y) = Σ P(w)} over every w that is y or depends on y, where {@code P(w)} is the
 * number of distinct root-to-w paths. So "more and deeper references score higher": glibc, under
 * everything, wins. This class computes exactly that with memoised path counts (one pass in
 * topological order) and bit sets of ancestors, never expanding the tree; counts are
 * {@link BigInteger}s because path counts grow exponentially with the depth of diamonds
 * (Python's ints are unbounded too). Memory is about n²/8 bytes for n paths.
 *
 * <p><b>Order.</b> Descending score; ties by nixpkgs' {@code package_name} key, i.e. the full
 * path with its hash moved behind the name ({@code name-/nix/store/hash}), compared as strings.
 * That is "by name, then hash", except where one name is another plus {@code +…}: nixpkgs sorts
 * "{@code a+}" before "{@code a}" because '+' &lt; '-'. We follow nixpkgs.
 *
 * <p><b>Layers.</b> The first {@code maxStoreLayers-1} paths get a layer each; all remaining paths
 * share the last one (nixpkgs: {@code limit_layers}, or the jq {@code .[:$max-1]} split).
 *
 * <p><b>Differences from nixpkgs.</b> nixpkgs' roots are the synthetic image config and
 * customisation-layer derivations, which reference the contents; ours are the closure's
 * unreferenced paths. That adds the same +1 to every score there, so the order is the same unless
 * the image config references store paths that the contents do not. Inside the last layer paths
 * keep popularity order (informational only).
 */
public final class Popularity implements LayeringStrategy {
    public static final String NAME = "popularity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<List<StorePath>> plan(Closure closure, int maxStoreLayers) {
        Layering.requireStoreLayers(maxStoreLayers);
        List<StorePath> ordered = order(closure);
        List<List<StorePath>> groups = new ArrayList<>();
        int singles = Math.min(ordered.size(), maxStoreLayers - 1);
        for (int i = 0; i < singles; i++) {
            groups.add(List.of(ordered.get(i)));
        }
        if (ordered.size() > singles) {
            groups.add(List.copyOf(ordered.subList(singles, ordered.size())));
        }
        return List.copyOf(groups);
    }

    /** All paths, most popular first. */
    public static List<StorePath> order(Closure closure) {
        Graph g = new Graph(closure);
        int n = g.size();
        // by index, scores compared as longs where every one fits (no map, no BigInteger), else as BigIntegers
        long[] exact = longScores(g);
        java.util.function.IntBinaryOperator higherFirst;
        if (exact != null) {
            higherFirst = (a, b) -> Long.compare(exact[b], exact[a]);
        } else {
            Map<StorePath, BigInteger> big = bigScores(g);
            BigInteger[] score = new BigInteger[n];
            for (int i = 0; i < n; i++) {
                score[i] = big.get(g.paths.get(i));
            }
            higherFirst = (a, b) -> score[b].compareTo(score[a]);
        }
        String[] names = new String[n]; // each key made once, not once per comparison
        Integer[] byIndex = new Integer[n];
        for (int i = 0; i < n; i++) {
            names[i] = packageNameKey(g.paths.get(i));
            byIndex[i] = i;
        }
        // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
        java.util.Arrays.sort(byIndex, (a, b) -> {
            int c = higherFirst.applyAsInt(a, b);
            return c != 0 ? c : names[a].compareTo(names[b]);
        });
        List<StorePath> out = new ArrayList<>(n);
        for (Integer i : byIndex) {
            out.add(g.paths.get(i));
        }
        return List.copyOf(out);
    }

    /** The popularity score of every path, as nixpkgs' graph_popularity_contest computes it. */
    public static Map<StorePath, BigInteger> scores(Closure closure) {
        Graph g = new Graph(closure);
        long[] exact = longScores(g);
        if (exact == null) {
            return bigScores(g);
        }
        Map<StorePath, BigInteger> out = new HashMap<>();
        for (int i = 0; i < exact.length; i++) {
            out.put(g.paths.get(i), BigInteger.valueOf(exact[i]));
        }
        return out;
    }

    /**
     * The scores in long arithmetic — what every real closure needs, at a fraction of BigInteger's cost
     * (3,000 paths: milliseconds) — or null when one overflows (diamonds 60 deep), for {@link #bigScores}.
     */
    static long[] longScores(Graph g) {
        int n = g.size();
        int words = (n + 63) >>> 6;
        long[] pathsFromRoots = new long[n];
        // each path's dependents as bits in words of its own, not java.util.BitSet: its calls per word and per bit
        // run interpreted in a fresh JVM (~40 words and hundreds of bits per path of 3,001)
        long[][] dependents = new long[n][];
        int[] remainingReferences = new int[n];
        long[] score = new long[n];
        try {
            for (int y : g.topological(false, Graph.BY_NAME_THEN_HASH)) { // referrers before references
                long count = g.referrers[y].length == 0 ? 1 : 0;
                long[] anc = new long[words];
                anc[y >>> 6] = 1L << y;
                for (int u : g.referrers[y]) {
                    count = Math.addExact(count, pathsFromRoots[u]);
                    long[] du = dependents[u];
                    for (int i = 0; i < words; i++) {
                        anc[i] |= du[i];
                    }
                    if (--remainingReferences[u] == 0) {
                        dependents[u] = null;
                    }
                }
                pathsFromRoots[y] = count;
                dependents[y] = anc;
                remainingReferences[y] = g.refs[y].length;
                long s = 0;
                for (int i = 0; i < words; i++) {
                    for (long bits = anc[i]; bits != 0; bits &= bits - 1) {
                        s = Math.addExact(s, pathsFromRoots[(i << 6) + Long.numberOfTrailingZeros(bits)]);
                    }
                }
                score[y] = s;
                if (remainingReferences[y] == 0) {
                    dependents[y] = null;
                }
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        return score;
    }

    /** The same in BigInteger arithmetic: path counts grow exponentially with the depth of diamonds. */
    static Map<StorePath, BigInteger> bigScores(Graph g) {
        int n = g.size();
        BigInteger[] pathsFromRoots = new BigInteger[n];
        BitSet[] dependents = new BitSet[n]; // w such that w == y or w depends on y
        int[] remainingReferences = new int[n];
        BigInteger[] score = new BigInteger[n];
        for (int y : g.topological(false, Graph.BY_NAME_THEN_HASH)) { // referrers before references
            BigInteger count = g.referrers[y].length == 0 ? BigInteger.ONE : BigInteger.ZERO;
            BitSet anc = new BitSet(n);
            anc.set(y);
            for (int u : g.referrers[y]) {
                count = count.add(pathsFromRoots[u]);
                anc.or(dependents[u]);
                if (--remainingReferences[u] == 0) {
                    dependents[u] = null; // every reference of u is done: free its bit set
                }
            }
            pathsFromRoots[y] = count;
            dependents[y] = anc;
            remainingReferences[y] = g.refs[y].length;
            BigInteger s = BigInteger.ZERO;
            for (int w = anc.nextSetBit(0); w >= 0; w = anc.nextSetBit(w + 1)) {
                s = s.add(pathsFromRoots[w]);
            }
            score[y] = s;
            if (remainingReferences[y] == 0) {
                dependents[y] = null;
            }
        }
        Map<StorePath, BigInteger> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(g.paths.get(i), score[i]);
        }
        return out;
    }

    /** nixpkgs' package_name: "{@code <storeDir>/<hash>-<name>}" becomes "{@code <name>-<storeDir>/<hash>}". */
    private static String packageNameKey(StorePath p) {
        String full = p.fullPath();
        int dash = full.indexOf('-'); // Python's path.split('-') splits at the first '-', as here
        return full.substring(dash + 1) + "-" + full.substring(0, dash);
    }
}
