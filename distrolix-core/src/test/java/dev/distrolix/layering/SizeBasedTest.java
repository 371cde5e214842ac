package dev.distrolix.layering;

import static dev.distrolix.layering.PopularityTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.nix.Closure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizeBasedTest {
    /**
     * env → app, tool; app → libbig, libsmall; tool → libbig, util; libbig → libc; libsmall → libc.
     * Sizes: libbig 1000, libc 500, tool 20, app 10, libsmall 5, util 3, env 1.
     */
    private static final Closure APPS = TestClosures.builder()
            .path("env", 1, "app", "tool").path("app", 10, "libbig", "libsmall").path("tool", 20, "libbig", "util")
            .path("libbig", 1000, "libc").path("libsmall", 5, "libc").path("libc", 500).path("util", 3).build();

    @Test
    void threeLayersBigPathsAloneTheRestTogether() {
        // primaries libbig, libc fit (labels {libbig}, {libc}, {}); tool would make a 4th label.
        assertThat(names(new SizeBased().plan(APPS, 3))).containsExactly(
                List.of("libc"), List.of("libbig"), List.of("app", "env", "libsmall", "tool", "util"));
    }

    @Test
    void fiveLayersDominatedDependenciesJoinTheirPrimary() {
        // + tool (takes util, reachable only through it) and app (takes libsmall); libsmall as a
        // primary of its own would be a 6th label. Order by closure size: 500, 1500, 1515, 1523, 1539.
        assertThat(names(new SizeBased().plan(APPS, 5))).containsExactly(
                List.of("libc"), List.of("libbig"), List.of("app", "libsmall"), List.of("tool", "util"), List.of("env"));
    }

    @Test
    void enoughLayersMeansOnePerPath() {
        assertThat(new SizeBased().plan(APPS, 7)).hasSize(7);
        assertThat(new SizeBased().plan(APPS, 126)).hasSize(7);
    }

    @Test
    void sharedDependenciesGetALayerPerSetOfUsers() {
        // two roots A (100) and B (90) share s and s2; u is A's alone.
        Closure c = TestClosures.builder().path("A", 100, "s", "s2", "u").path("B", 90, "s", "s2")
                .path("s", 1).path("s2", 1).path("u", 1).build();
        assertThat(names(new SizeBased().plan(c, 3)))
                .containsExactly(List.of("s", "s2"), List.of("B"), List.of("A", "u"));
    }

    @Test
    void oneLayerLimit() {
        List<List<dev.distrolix.nix.StorePath>> plan = new SizeBased().plan(APPS, 1);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0)).hasSize(7);
    }

    @Test
    void labelsAreTheNearestPrimariesOnRandomGraphs() {
        for (long seed = 1; seed <= 40; seed++) {
            Closure c = TestClosures.random(seed, 40, 0.08);
            for (int limit : new int[] {1, 2, 5, 10, 39, 40}) {
                checkNearestPrimaries(new Graph(c), SizeBased.label(new Graph(c), limit), limit, seed);
            }
        }
    }

    /**
     * An independent statement of the rules: the primaries are a prefix of the size order; every
     * other path's label is the set of primaries above it with no other primary in between; the
     * labels are within the limit and one more primary would break it.
     */
    private static void checkNearestPrimaries(Graph g, BitSet[] labels, int limit, long seed) {
        List<Integer> primaries = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            BitSet self = new BitSet();
            self.set(i);
            if (labels[i].equals(self)) {
                primaries.add(i);
            }
        }
        for (int d = 0; d < g.size(); d++) {
            if (primaries.contains(d)) {
                continue;
            }
            BitSet expected = new BitSet();
            for (int q : primaries) {
                if (!g.dependencies(q).get(d)) {
                    continue;
                }
                boolean nearer = false;
                for (int q2 : primaries) {
                    nearer |= q2 != q && g.dependencies(q).get(q2) && g.dependencies(q2).get(d);
                }
                if (!nearer) {
                    expected.set(q);
                }
            }
            assertThat(labels[d]).as("seed %d limit %d path %s", seed, limit, g.paths.get(d)).isEqualTo(expected);
        }
        assertThat(new HashSet<>(List.of(labels)).size()).isLessThanOrEqualTo(limit);
    }
}
