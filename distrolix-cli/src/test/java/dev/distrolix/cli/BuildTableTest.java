package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import dev.distrolix.build.BuildResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The build summary table's CONTENT column: how many store paths a cut list leaves out, how many paths the spec declared. */
class BuildTableTest {
    private static final Digest D = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));

    private static String storePath(int i) {
        return "/nix/store/" + "%032d".formatted(i).replace('0', 'a') + "-package-number-" + i;
    }

    @Test
    void aCutListSaysHowManyPathsItLeftOut() {
        List<String> eight = IntStream.range(0, 8).mapToObj(BuildTableTest::storePath).toList();
        String content = Sizes.shortNames(eight);
        int shown = content.split(" …\\+")[0].split(" ").length;
        assertThat(content).endsWith(" …+" + (8 - shown));
        assertThat(shown).isBetween(1, 7);
        assertThat(content).startsWith("package-number-0 package-number-1");
        assertThat(Sizes.shortNames(eight.subList(0, 2))).isEqualTo("package-number-0 package-number-1");
    }

    @Test
    void theLastLayerCountsThePathsTheSpecDeclares() {
        BuildResult r = new BuildResult("app", "1", "oci:out/app", D, D, List.of(
                new BuildResult.LayerSummary(D, D, 100, 200, "m", List.of(storePath(1)), false),
                new BuildResult.LayerSummary(D, D, 10, 20, "m", List.of(), true, 2),
                new BuildResult.LayerSummary(D, D, 10, 20, "m", List.of(), true, 1)), List.of());
        List<String> rows = Sizes.summary(r).lines().toList();
        assertThat(rows.get(1)).endsWith("  built  package-number-1");
        assertThat(rows.get(2)).endsWith("  cached (declared files: 2 paths)");
        assertThat(rows.get(3)).endsWith("  cached (declared files: 1 path)");
    }
}
