package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.RecordKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the last build of a spec evaluated, recorded for the next: kept, found by the spec's bytes, and bounded. */
class EvaluationRecordsTest {
    static final List<String> EVAL = List.of("--eval", "/pkgs/default.nix", "-A", "nginx.type", "-A", "nginx.outPath",
            "-I", "nixpkgs=/pkgs");

    @TempDir
    Path dir;
    Path spec;
    RecordKey key;

    @BeforeEach
    void spec() throws IOException {
        spec = Files.writeString(dir.resolve("image.yaml"), "name: web\npackages: [nginx]\n");
        key = RecordKey.in(dir.resolve("key"));
    }

    private EvaluationRecords.Slot slot(List<String> includes) {
        return EvaluationRecords.slot(dir.resolve("evaluations"), key, spec, includes, null);
    }

    @Test
    void theEvaluationsOfABuildAreFoundByTheNextBuildOfTheSameBytes() {
        assertThat(slot(List.of()).load()).as("nothing recorded yet").isEmpty();
        slot(List.of()).store(List.of(EVAL));
        assertThat(slot(List.of()).load()).containsExactly(EVAL);
        assertThat(slot(List.of("nixpkgs=/other")).load()).as("another search path: another record").isEmpty();
        assertThat(EvaluationRecords.slot(dir.resolve("evaluations"), key, spec, List.of(), List.of("linux/arm64")).load())
                .as("other platforms: another record").isEmpty();
    }

    @Test
    void aSpecWhoseBytesChangedFindsNothing() throws IOException {
        slot(List.of()).store(List.of(EVAL));
        Files.writeString(spec, "name: web\npackages: [nginx, curl]\n");
        assertThat(slot(List.of()).load()).isEmpty();
    }

    @Test
    void aBuildThatEvaluatedNothingRemovesTheRecord() throws IOException {
        slot(List.of()).store(List.of(EVAL));
        slot(List.of()).store(List.of());
        try (var files = Files.list(dir.resolve("evaluations"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aRecordDamagedOrMadeUnderAnotherKeyIsNotBelieved() throws IOException {
        slot(List.of()).store(List.of(EVAL));
        Path file;
        try (var files = Files.list(dir.resolve("evaluations"))) {
            file = files.findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[20] ^= 1;
        Files.write(file, flipped);
        assertThat(slot(List.of()).load()).isEmpty();

        Files.write(file, good);
        RecordKey other = RecordKey.in(dir.resolve("other-key"));
        assertThat(EvaluationRecords.slot(dir.resolve("evaluations"), other, spec, List.of(), null).load()).isEmpty();
        assertThat(slot(List.of()).load()).as("the record itself was left as it was").containsExactly(EVAL);
    }

    @Test
    void onlyEvaluationsAreEverRecordedToBeStarted() throws IOException {
        byte[] k = key.bytes();
        String hash = dev.distrolix.blob.Digest.sha256(Files.readAllBytes(spec)).hex();
        byte[] build = EvaluationRecords.encode(k, hash, List.of(List.of("/pkgs/default.nix", "-A", "nginx")));
        assertThat(EvaluationRecords.decode(build, k, hash)).as("a nix-build's arguments").isNull();
        assertThat(EvaluationRecords.decode(EvaluationRecords.encode(k, hash, List.of(EVAL)), k, hash))
                .containsExactly(EVAL);
        assertThat(EvaluationRecords.decode(EvaluationRecords.encode(k, hash, List.of(EVAL)), k, "0" + hash.substring(1)))
                .as("another spec's bytes").isNull();
    }

    @Test
    void recordsAreBounded() throws IOException {
        byte[] k = key.bytes();
        assertThat(EvaluationRecords.encode(k, "h", Collections.nCopies(EvaluationRecords.MAX_COMMANDS + 1, EVAL)))
                .as("too many evaluations: not kept").isNull();
        List<String> long_ = new ArrayList<>(List.of("--eval"));
        long_.add("x".repeat(30_000));
        assertThat(EvaluationRecords.encode(k, "h", List.of(long_))).as("an argument past writeUTF's sure length").isNull();

        slot(List.of()).store(List.of(EVAL));
        Path file;
        try (var files = Files.list(dir.resolve("evaluations"))) {
            file = files.findFirst().orElseThrow();
        }
        Files.write(file, new byte[EvaluationRecords.MAX_BYTES + 1]);
        assertThat(slot(List.of()).load()).as("a file past the bound is not read").isEmpty();
        // a count past what the bytes could hold is refused before anything is allocated for it
        var body = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(body);
        out.writeUTF("distrolix-evaluation-record");
        out.writeInt(1);
        out.writeUTF("h");
        out.writeInt(1);
        out.writeInt(Integer.MAX_VALUE);
        assertThat(EvaluationRecords.decode(RecordKey.seal(k, body.toByteArray()), k, "h")).isNull();
    }

    @Test
    void noSpecFileNoRecord() {
        EvaluationRecords.Slot none = EvaluationRecords.slot(dir.resolve("evaluations"), key, dir.resolve("missing.yaml"),
                List.of(), null);
        none.store(List.of(EVAL));
        assertThat(none.load()).isEmpty();
        assertThat(dir.resolve("evaluations")).doesNotExist();
    }
}
