package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A real closure of 150 tiny store paths (> the 127-layer limit), built by the CLI. */
@IntegrationTest
class LayeringTest {
    @TempDir
    Path tmp;

    private Path spec(String storePath) throws IOException {
        Path s = tmp.resolve("big-" + storePath.hashCode() + ".yaml");
        Files.writeString(s, "name: tiny\npackages:\n  - " + storePath + "\n");
        return s;
    }

    private List<Set<String>> build(String storePath, String strategy, int maxLayers, String out) throws IOException {
        Path layout = tmp.resolve(out);
        Cli r = Cli.run("build", spec(storePath).toString(), "-q", "--layering", strategy,
                "--max-layers", String.valueOf(maxLayers), "-o", "oci:" + layout);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return OciLayouts.storePathsPerLayer(layout);
    }

    private static Set<String> closure(String storePath) {
        Set<String> names = new HashSet<>();
        for (String p : Fixtures.run("nix-store", "-qR", storePath).strip().split("\n")) {
            names.add(p.substring("/nix/store/".length()));
        }
        return names;
    }

    @ParameterizedTest
    @CsvSource({"popularity,100", "popularity,127", "size,100", "size,20", "single,2"})
    void maxLayersIsRespectedAndEveryStorePathIsInExactlyOneLayer(String strategy, int maxLayers) throws IOException {
        String big = Fixtures.storePath("tiny-big");
        Set<String> closure = closure(big);
        assertThat(closure).hasSizeGreaterThan(127);
        List<Set<String>> layers = build(big, strategy, maxLayers, "out-" + strategy + maxLayers);
        assertThat(layers.size()).isLessThanOrEqualTo(maxLayers).isGreaterThanOrEqualTo(2);
        assertThat(layers.get(layers.size() - 1)).as("the declared-files layer holds no store path").isEmpty();
        List<String> all = new ArrayList<>();
        layers.forEach(all::addAll);
        assertThat(all).doesNotHaveDuplicates();
        assertThat(Set.copyOf(all)).isEqualTo(closure);
    }

    @ParameterizedTest
    @CsvSource({"popularity,100", "popularity,40", "size,100", "size,40"})
    void layerBoundariesStayWhenOneLeafChanges(String strategy, int maxLayers) throws IOException {
        String big = Fixtures.storePath("tiny-big");
        String salted = Fixtures.storePath("tiny-big-salted");
        Set<String> before = closure(big);
        Set<String> after = closure(salted);
        Set<String> changed = new HashSet<>(after);
        changed.removeAll(before);
        assertThat(changed).as("the fixture changes one leaf and its dependents").hasSize(11);

        List<Set<String>> a = build(big, strategy, maxLayers, "a-" + strategy);
        List<Set<String>> b = build(salted, strategy, maxLayers, "b-" + strategy);
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(after);
        // every layer of the first build that holds no replaced path is found, unchanged, in the second
        int stable = 0;
        for (Set<String> layer : a.subList(0, a.size() - 1)) {
            if (layer.stream().noneMatch(removed::contains)) {
                assertThat(b).contains(layer);
                stable++;
            }
        }
        assertThat(stable).isGreaterThan(a.size() / 2);
    }
}
