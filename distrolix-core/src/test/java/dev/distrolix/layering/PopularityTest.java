package dev.distrolix.layering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PopularityTest {
    /** The graph from the comment at the top of nixpkgs' closure-graph.py. */
    private static final TestClosures NIXPKGS_DOC = TestClosures.builder()
            .path("A", 1, "B", "G").path("B", 1, "C", "E").path("C", 1, "D", "E")
            .path("D", 1, "F").path("E", 1, "F").path("F", 1).path("G", 1);

    @Test
    void scoresOfTheNixpkgsDocumentationExample() {
        Map<String, Integer> byName = names(Popularity.scores(NIXPKGS_DOC.build()));
        assertThat(byName).containsExactlyInAnyOrderEntriesOf(Map.of(
                "A", 1, "B", 2, "C", 3, "D", 4, "E", 5, "F", 9, "G", 2));
        assertThat(Popularity.order(NIXPKGS_DOC.build())).extracting(StorePath::name)
                .containsExactly("F", "E", "D", "C", "B", "G", "A");
    }

    @Test
    void scoresOfTheNixpkgsUnitTestExample() {
        Closure c = TestClosures.builder().path("foo", 1, "bar", "baz").path("bar", 1, "baz").path("baz", 1, "tux")
                .path("tux", 1).build();
        assertThat(names(Popularity.scores(c)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("foo", 1, "bar", 2, "baz", 4, "tux", 6));
    }

    @Test
    void firstPathsGetALayerEachAndTheRestShareTheLast() {
        Closure c = NIXPKGS_DOC.build();
        assertThat(names(new Popularity().plan(c, 4)))
                .containsExactly(List.of("F"), List.of("E"), List.of("D"), List.of("C", "B", "G", "A"));
        assertThat(names(new Popularity().plan(c, 1))).containsExactly(List.of("F", "E", "D", "C", "B", "G", "A"));
        assertThat(new Popularity().plan(c, 7)).hasSize(7).allSatisfy(g -> assertThat(g).hasSize(1));
        assertThat(new Popularity().plan(c, 50)).hasSize(7);
    }

    @Test
    void tiesFollowNixpkgsPackageNameKey() {
        // equal scores: nixpkgs compares "name-/nix/store/hash", so "a+" ('+' < '-') precedes "a"
        Closure c = TestClosures.builder().path("root", 1, "a", "a+", "b").path("a", 1).path("a+", 1).path("b", 1).build();
        assertThat(Popularity.order(c)).extracting(StorePath::name).containsExactly("a+", "a", "b", "root");
    }

    @Test
    void sameNameTiesByHash() {
        TestClosures t = TestClosures.builder().path("root", 1, "x1", "x2").path("x1", 1, "lib").path("x2", 1, "lib2")
                .path("lib", 1).path("lib2", 1);
        Closure c = t.build();
        List<StorePath> order = Popularity.order(c);
        assertThat(order.indexOf(t.sp("x1"))).isLessThan(order.indexOf(t.sp("x2")));
    }

    @Test
    void countsBeyondLongAreExact() {
        // 100 diamonds stacked: 2^k root paths reach level k; the bottom scores 2^102 - 3.
        TestClosures t = TestClosures.builder();
        int levels = 100;
        for (int k = 0; k < levels; k++) {
            t.path("x" + k, 1, "a" + (k + 1), "b" + (k + 1));
            t.path("a" + (k + 1), 1, "x" + (k + 1));
            t.path("b" + (k + 1), 1, "x" + (k + 1));
        }
        t.path("x" + levels, 1);
        Map<StorePath, BigInteger> scores = Popularity.scores(t.build());
        assertThat(scores.get(t.sp("x" + levels))).isEqualTo(BigInteger.TWO.pow(levels + 2).subtract(BigInteger.valueOf(3)));
    }

    @Test
    void longArithmeticAgreesWithBigIntegerAndOverflowFallsBack() {
        for (long seed = 1; seed <= 30; seed++) {
            Graph g = new Graph(TestClosures.random(seed, 40, 0.2));
            long[] fast = Popularity.longScores(g);
            assertThat(fast).as("seed %d fits a long", seed).isNotNull();
            Map<StorePath, BigInteger> big = Popularity.bigScores(g);
            for (int i = 0; i < fast.length; i++) {
                assertThat(BigInteger.valueOf(fast[i])).isEqualTo(big.get(g.paths.get(i)));
            }
        }
        TestClosures t = TestClosures.builder();
        for (int k = 0; k < 70; k++) {
            t.path("x" + k, 1, "a" + (k + 1), "b" + (k + 1));
            t.path("a" + (k + 1), 1, "x" + (k + 1));
            t.path("b" + (k + 1), 1, "x" + (k + 1));
        }
        t.path("x70", 1);
        Closure deep = t.build();
        assertThat(Popularity.longScores(new Graph(deep))).as("2^72 overflows").isNull();
        assertThat(Popularity.order(deep).get(0)).as("the bottom, under everything, first").isEqualTo(t.sp("x70"));
    }

    @Test
    void scoresAndOrderAgreeWithBigIntegerAcrossManyWordsOfBits() {
        // 300 paths: five 64-bit words per set of dependents, so the words' edges are crossed
        for (long seed = 1; seed <= 12; seed++) {
            Closure c = TestClosures.random(seed, 300, 0.015);
            Graph g = new Graph(c);
            long[] fast = Popularity.longScores(g);
            assertThat(fast).as("seed %d fits a long", seed).isNotNull();
            Map<StorePath, BigInteger> big = Popularity.bigScores(g);
            for (int i = 0; i < fast.length; i++) {
                assertThat(BigInteger.valueOf(fast[i])).as("seed %d path %d", seed, i).isEqualTo(big.get(g.paths.get(i)));
            }
            // nixpkgs' order: score, highest first, then name-/nix/store/hash
            List<StorePath> expected = new ArrayList<>(c.paths());
            expected.sort((a, b) -> {
                int cmp = big.get(b).compareTo(big.get(a));
                return cmp != 0 ? cmp : (a.name() + "-" + a.storeDir() + "/" + a.hashPart())
                        .compareTo(b.name() + "-" + b.storeDir() + "/" + b.hashPart());
            });
            assertThat(Popularity.order(c)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void referrersAreTheReferencesTurnedRoundInPathOrder() {
        Closure c = TestClosures.random(7, 200, 0.05);
        Graph g = new Graph(c);
        for (int i = 0; i < g.size(); i++) {
            List<Integer> expected = new ArrayList<>();
            for (int j = 0; j < g.size(); j++) {
                for (int r : g.refs[j]) {
                    if (r == i) {
                        expected.add(j);
                    }
                }
            }
            assertThat(g.referrers[i]).as("path %d", i).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            assertThat(g.refs[i]).containsExactly(c.info(g.paths.get(i)).references().stream()
                    .mapToInt(g.paths::indexOf).toArray());
        }
    }

    @Test
    void matchesALiteralTreeExpansionOnRandomGraphs() {
        for (long seed = 1; seed <= 30; seed++) {
            Closure c = TestClosures.random(seed, 14, 0.3);
            assertThat(Popularity.scores(c)).as("seed %d", seed).isEqualTo(treeExpansionScores(c));
        }
    }

    /**
     * nixpkgs' algorithm taken literally, as an oracle: build the expanded tree from the
     * unreferenced paths and fold counters up it ({@code popularity[child] += 1},
     * {@code popularity[sub] += subscore + 1}). Exponential; fine for 14 nodes.
     */
    private static Map<StorePath, BigInteger> treeExpansionScores(Closure c) {
        Map<StorePath, java.util.Set<StorePath>> referrers = c.referrers();
        List<StorePath> roots = c.paths().stream().filter(p -> referrers.get(p).isEmpty()).toList();
        return contest(c, roots);
    }

    private static Map<StorePath, BigInteger> contest(Closure c, List<StorePath> children) {
        Map<StorePath, BigInteger> pop = new HashMap<>();
        for (StorePath child : children) {
            pop.merge(child, BigInteger.ONE, BigInteger::add);
            for (Map.Entry<StorePath, BigInteger> e : contest(c, new ArrayList<>(c.info(child).references())).entrySet()) {
                pop.merge(e.getKey(), e.getValue().add(BigInteger.ONE), BigInteger::add);
            }
        }
        return pop;
    }

    private static Map<String, Integer> names(Map<StorePath, BigInteger> scores) {
        return scores.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), e -> e.getValue().intValueExact()));
    }

    static List<List<String>> names(List<List<StorePath>> plan) {
        return plan.stream().map(g -> g.stream().map(StorePath::name).toList()).toList();
    }
}
