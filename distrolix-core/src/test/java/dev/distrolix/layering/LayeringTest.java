package dev.distrolix.layering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayeringTest {
    @Test
    void strategiesByName() {
        assertThat(Layering.of("popularity")).isInstanceOf(Popularity.class);
        assertThat(Layering.of("SIZE")).isInstanceOf(SizeBased.class);
        assertThat(Layering.of("auto-layer")).isInstanceOf(SizeBased.class);
        assertThat(Layering.of("per-path")).isInstanceOf(PerPath.class);
        assertThat(Layering.of("single")).isInstanceOf(Single.class);
        for (String name : Layering.names()) {
            assertThat(Layering.of(name).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Layering.of("magic")).isInstanceOf(LayeringException.class)
                .hasMessage("unknown layering strategy 'magic' (expected one of popularity, size, per-path, single)");
    }

    @Test
    void maxLayersKeepsOneForCustomisation() {
        assertThat(Layering.maxStoreLayers(127)).isEqualTo(126);
        assertThat(Layering.maxStoreLayers(2)).isEqualTo(1);
        assertThatThrownBy(() -> Layering.maxStoreLayers(128))
                .hasMessage("max-layers must be between 2 and 127 (one layer is kept for customisation), got 128");
        assertThatThrownBy(() -> Layering.maxStoreLayers(1)).isInstanceOf(LayeringException.class)
                .isInstanceOf(dev.distrolix.InputException.class)
                .satisfies(e -> assertThat(((LayeringException) e).exitCode()).isEqualTo(3));
    }

    @Test
    void verifyCatchesBrokenPlans() {
        Closure c = TestClosures.builder().path("a", 1, "b").path("b", 1).build();
        StorePath a = c.paths().stream().filter(p -> p.name().equals("a")).findFirst().orElseThrow();
        StorePath b = c.paths().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow();
        assertThatThrownBy(() -> Layering.verify(List.of(List.of(a)), c, 5)).hasMessageContaining("left 1 paths out");
        assertThatThrownBy(() -> Layering.verify(List.of(List.of(a, b), List.of(b)), c, 5)).hasMessageContaining("two layers");
        assertThatThrownBy(() -> Layering.verify(List.of(List.of(a, b), List.of()), c, 5)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Layering.verify(List.of(List.of(a), List.of(b)), c, 1)).hasMessageContaining("limit 1");
    }

    @Test
    void invariantsAndDeterminismOnRandomClosures() {
        for (long seed = 1; seed <= 25; seed++) {
            Closure c = TestClosures.random(seed, 60, 0.05);
            Closure shuffled = shuffled(c, seed);
            for (String name : Layering.names()) {
                for (int maxLayers : new int[] {2, 3, 10, 60, 61, 127}) {
                    if (name.equals(PerPath.NAME) && maxLayers - 1 < c.size()) {
                        assertThatThrownBy(() -> Layering.plan(name, c, maxLayers)).isInstanceOf(LayeringException.class);
                        continue;
                    }
                    List<List<StorePath>> plan = Layering.plan(name, c, maxLayers); // verifies the invariants
                    assertThat(Layering.plan(name, shuffled, maxLayers)).as("%s seed %d", name, seed).isEqualTo(plan);
                }
            }
        }
    }

    /** The same closure built from its infos in another order: plans must not depend on input order. */
    private static Closure shuffled(Closure c, long seed) {
        List<PathInfo> infos = new ArrayList<>();
        c.paths().forEach(p -> infos.add(c.info(p)));
        Collections.shuffle(infos, new Random(seed));
        return new Closure(c.roots(), infos);
    }
}
