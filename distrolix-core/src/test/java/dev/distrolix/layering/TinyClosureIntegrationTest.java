package dev.distrolix.layering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.PackageRef;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.TestNix;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layering a real closure of more than 127 tiny store paths built by the installed Nix, and
 * checking that a rebuild which changes one leaf leaves the other layers exactly as they were.
 *
 * <p>Uses the shared fixture {@code testing/tiny-closure/default.nix} when the checkout has it
 * (arguments {@code leafSalt}, attribute {@code big}); otherwise writes a generator of the same
 * interface, {@link #GENERATOR}, to a temporary directory.
 */
@IntegrationTest
class TinyClosureIntegrationTest {
    /** 30 leaves, 60 libs, 59 apps, 1 root: 150 paths; leafSalt changes leaf-29 only. */
    static final String GENERATOR = """
            { leafSalt ? "0" }:
            let
              mk = name: deps: extra: derivation {
                name = "gen-${name}"; system = builtins.currentSystem; builder = "/bin/sh";
                inherit deps extra;
                args = [ "-e" "-c" "/bin/mkdir $out; for d in $deps; do echo $d; done > $out/deps; echo ${name} $extra > $out/name" ];
              };
              range = builtins.genList (i: i);
              at = xs: i: builtins.elemAt xs (i - builtins.length xs * (i / builtins.length xs));
              leaves = map (i: mk "leaf-${toString i}" [ ] (if i == 29 then "salt=${leafSalt}" else "")) (range 30);
              libs = map (i: mk "lib-${toString i}" [ (at leaves i) (at leaves (3 * i + 1)) (at leaves 0) ] "") (range 60);
              apps = map (i: mk "app-${toString i}" [ (at libs i) (at libs (i + 30)) (at libs (7 * i + 2)) ] "") (range 59);
            in { big = mk "big" apps ""; }
            """;

    @TempDir
    static Path tmp;
    static Closure base;
    static Closure salted;
    static Set<StorePath> changed;

    @BeforeAll
    static void build() throws IOException {
        assertTrue(TestNix.installed(), "Nix is not installed: run testing/install-tools.sh");
        Path fixture = sharedFixture().orElse(null);
        if (fixture == null) {
            fixture = tmp.resolve("default.nix");
            Files.writeString(fixture, GENERATOR);
        }
        NixCli nix = TestNix.cli().build();
        PackageRef big = new PackageRef.NixFile(fixture, Optional.of("big"));
        base = nix.queryClosure(nix.resolve(big, List.of(), Map.of()));
        salted = nix.queryClosure(nix.resolve(big, List.of(), Map.of("leafSalt", "1")));
        changed = new HashSet<>(base.paths());
        changed.removeAll(salted.paths());
    }

    /** testing/tiny-closure/default.nix in this checkout (the module's parent directories), if present. */
    static Optional<Path> sharedFixture() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("testing/tiny-closure/default.nix");
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Test
    void fixtureChangesOneLeafAndItsDependentsOnly() {
        assertThat(base.size()).isGreaterThan(Layering.MAX_LAYERS);
        assertThat(salted.size()).isEqualTo(base.size());
        List<StorePath> leaves = changed.stream().filter(p -> base.info(p).references().isEmpty()).toList();
        assertThat(leaves).hasSize(1);
        Set<StorePath> leafAndDependents = new HashSet<>();
        for (StorePath p : base.paths()) {
            if (base.closureOf(p).contains(leaves.get(0))) {
                leafAndDependents.add(p);
            }
        }
        assertThat(changed).isEqualTo(leafAndDependents).hasSizeLessThan(base.size() / 4);
    }

    @ParameterizedTest
    @CsvSource({"popularity, 20", "popularity, 100", "popularity, 127", "size, 20", "size, 100", "size, 127",
                "single, 20", "single, 127"})
    void everyPathInExactlyOneLayerWithinTheLimit(String strategy, int maxLayers) {
        for (Closure c : List.of(base, salted)) {
            List<List<StorePath>> plan = Layering.plan(strategy, c, maxLayers); // verify(): exactly once, non-empty
            assertThat(plan).hasSizeLessThanOrEqualTo(maxLayers - 1);
            assertThat(plan.stream().mapToInt(List::size).sum()).isEqualTo(c.size());
            if (strategy.equals(Popularity.NAME)) {
                assertThat(plan).as("a closure of %d paths fills the limit", c.size()).hasSize(maxLayers - 1);
            } else if (strategy.equals(SizeBased.NAME)) {
                // stops before the primary that would overflow: close to the limit, never above it
                assertThat(plan).hasSizeGreaterThan((maxLayers - 1) / 2);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 100, 127})
    void perPathCannotFitMoreThanTheLimit(int maxLayers) {
        assertThatThrownBy(() -> Layering.plan(PerPath.NAME, base, maxLayers))
                .isInstanceOf(LayeringException.class)
                .hasMessageStartingWith("per-path layering needs " + base.size() + " layers");
    }

    @ParameterizedTest
    @CsvSource({"popularity, 20", "popularity, 100", "popularity, 127", "size, 20", "size, 100", "size, 127"})
    void layersWithoutTheChangedPathsAreIdenticalAfterTheRebuild(String strategy, int maxLayers) {
        List<List<StorePath>> before = Layering.plan(strategy, base, maxLayers);
        List<List<StorePath>> after = Layering.plan(strategy, salted, maxLayers);
        Set<Set<StorePath>> afterLayers = asSets(after);
        Set<Set<StorePath>> beforeLayers = asSets(before);
        int stable = 0;
        for (List<StorePath> layer : before) {
            if (layer.stream().noneMatch(changed::contains)) {
                assertThat(afterLayers).as("%s/%d: unchanged layer %s", strategy, maxLayers, layer)
                        .contains(Set.copyOf(layer));
                stable++;
            }
        }
        Set<StorePath> changedAfter = new HashSet<>(salted.paths());
        changedAfter.removeAll(base.paths());
        for (List<StorePath> layer : after) {
            if (layer.stream().noneMatch(changedAfter::contains)) {
                assertThat(beforeLayers).contains(Set.copyOf(layer));
            }
        }
        assertThat(after).hasSameSizeAs(before);
        // Most layers must survive: only those holding the 11-odd changed paths may differ.
        assertThat(stable).isGreaterThanOrEqualTo(before.size() - changed.size());
    }

    private static Set<Set<StorePath>> asSets(List<List<StorePath>> plan) {
        Set<Set<StorePath>> out = new HashSet<>();
        plan.forEach(l -> out.add(Set.copyOf(l)));
        return out;
    }
}
