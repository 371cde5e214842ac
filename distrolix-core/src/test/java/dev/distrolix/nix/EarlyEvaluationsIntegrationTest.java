package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.RecordKey;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluations started before a build knows it needs them, against the real Nix: the one the last build of the same
 * spec ran is taken by the next, one that names other arguments is never taken and is left to end, and either way the
 * answer is what Nix says without them.
 */
@IntegrationTest
class EarlyEvaluationsIntegrationTest {
    @TempDir
    Path dir;
    Path set;
    Path spec;
    NixCli nix;
    RecordKey key;

    @BeforeEach
    void packageSet() throws IOException {
        set = TestNix.packageSet(dir);
        spec = Files.writeString(dir.resolve("image.yaml"), "name: t\npackages: [top]\n");
        nix = TestNix.cli().workingDirectory(dir).build();
        key = RecordKey.in(dir.resolve("key"));
    }

    private EvaluationRecords.Slot slot() {
        return EvaluationRecords.slot(dir.resolve("evaluations"), key, spec, List.of(), null);
    }

    private Optional<List<StorePath>> evaluate(NixCli n, String attr) {
        return n.evaluatedOutPaths(List.of(PackageRef.parse(attr, Optional.of(set))), List.of(), Map.of());
    }

    /** Evaluates {@code attr} through a slot, as a build does, and records what it evaluated. */
    private EarlyEvaluations evaluateRecording(String attr, Optional<List<StorePath>> expected) {
        EarlyEvaluations early = nix.startEvaluations(slot());
        try (early) {
            assertThat(evaluate(nix.withEarlyEvaluations(early), attr)).isEqualTo(expected);
            early.record();
        }
        return early;
    }

    @Test
    void theEvaluationTheLastBuildRanIsStartedAndTakenByTheNext() {
        Optional<List<StorePath>> top = evaluate(nix, "top");
        assertThat(top).isPresent();
        assertThat(evaluateRecording("top", top).taken()).as("nothing recorded yet").isZero();
        assertThat(slot().load()).hasSize(1);
        assertThat(slot().load().get(0)).startsWith("--eval", set.toString(), "-A", "top.type");

        assertThat(evaluateRecording("top", top).taken()).isEqualTo(1);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("nothing left running").isEmpty();
    }

    @Test
    void anEvaluationRecordedWithOtherArgumentsIsNeverTakenAndIsLeftToEnd() {
        Optional<List<StorePath>> mid = evaluate(nix, "mid");
        Optional<List<StorePath>> top = evaluate(nix, "top");
        assertThat(mid).isNotEqualTo(top);
        evaluateRecording("mid", mid); // the spec's bytes are the same: the next build starts mid's evaluation

        EarlyEvaluations early = evaluateRecording("top", top);
        assertThat(early.taken()).isZero();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
                .as("the evaluation not taken has ended (never killed: it opened Nix's database)").isEmpty();
        assertThat(slot().load()).as("recorded anew: what this build evaluated").hasSize(1);
        assertThat(String.join(" ", slot().load().get(0))).contains("top.outPath").doesNotContain("mid");
        assertThat(evaluateRecording("top", top).taken()).isEqualTo(1);
    }

    @Test
    void whereNoNixCanRunTheBuildSaysSoAsItDidWithoutEarlyEvaluations() {
        evaluateRecording("top", evaluate(nix, "top"));
        NixCli noNix;
        try {
            noNix = TestNix.cli().binDir(Files.createDirectories(dir.resolve("no-nix"))).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (EarlyEvaluations early = noNix.startEvaluations(slot())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> evaluate(noNix.withEarlyEvaluations(early), "top"))
                    .isInstanceOf(NixNotFoundException.class);
            assertThat(early.taken()).isZero();
        }
    }
}
