package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spare evaluations against the Nix installed here: a spare's answer is the one {@code nix-instantiate -A} gives,
 * for each way Nix selects and calls on the way; what it could not say alike, a change to Nix's settings after it
 * started, and a spare for other arguments leave the evaluation to the command; a retired spare ends by itself.
 */
@IntegrationTest
class SpareEvaluationsIntegrationTest {
    private static final String DRV = "name: builtins.derivation { inherit name; system = builtins.currentSystem;"
            + " builder = \"/bin/sh\"; args = [ \"-c\" \"echo > $out\" ]; }";

    @TempDir
    static Path dir;
    static NixCli nix;

    @BeforeAll
    static void setUp() throws IOException {
        TestNix.packageSet(dir); // fails where Nix is not installed
        write("defaults.nix", "{ tag ? \"s\" }: let mk = " + DRV + "; in {"
                + " leaf = mk \"spare-leaf-${tag}\";"
                + " nested = { inner = mk \"spare-inner\"; };"
                + " fn = { y ? 1 }: { d = mk \"spare-fn-${toString y}\"; };"
                + " notString = { type = 1; outPath = \"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x\"; };"
                + " }");
        write("plain.nix", "x: { leaf = (" + DRV + ") \"spare-plain\"; }"); // Nix does not call it: no set
        write("no-formals.nix", "{ }: { leaf = (" + DRV + ") \"spare-no-formals\"; }"); // Nix calls it with { }
        write("required.nix", "{ r }: { leaf = (" + DRV + ") \"spare-required\"; }"); // Nix cannot call it
        write("functor.nix", "{ __functor = self: { z ? 2 }: { leaf = (" + DRV + ") \"spare-functor\"; }; }");
        Files.createDirectories(dir.resolve("config/nix"));
        write("config/nix/nix.conf", "# the test's own\n");
        nix = TestNix.cli().workingDirectory(dir).environment("XDG_CONFIG_HOME", dir.resolve("config").toString())
                .build();
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @AfterEach
    void off() {
        SpareEvaluations.disable();
    }

    /** The answer without spares, then with one started for it: equal; and whether the spare gave it. */
    private static boolean sameAnswerFromASpare(List<PackageRef> refs, List<String> includes) {
        SpareEvaluations.disable();
        Optional<List<StorePath>> ordinary = nix.evaluatedOutPaths(refs, includes, Map.of());
        SpareEvaluations.enable();
        assertThat(nix.evaluatedOutPaths(refs, includes, Map.of())).isEqualTo(ordinary); // asks: no spare yet
        SpareEvaluations.refill();
        long before = SpareEvaluations.taken();
        assertThat(nix.evaluatedOutPaths(refs, includes, Map.of())).as(refs.toString()).isEqualTo(ordinary);
        return SpareEvaluations.taken() > before;
    }

    private static PackageRef ref(String text) {
        return PackageRef.parse(text, Optional.empty());
    }

    @Test
    void aSpareAnswersAsTheCommandWouldWhereItCanSayTheSame() {
        // selections and calls as -A makes them: the file's function called with its defaults, a nested set, a
        // function on the way called with its defaults, two of one file in one evaluation
        assertThat(sameAnswerFromASpare(List.of(ref("defaults.nix#leaf")), List.of())).isTrue();
        assertThat(sameAnswerFromASpare(List.of(ref("defaults.nix#nested.inner"), ref("defaults.nix#fn.d")),
                List.of())).isTrue();
        assertThat(nix.evaluatedOutPaths(List.of(ref("defaults.nix#fn.d")), List.of(), Map.of()).orElseThrow().get(0)
                .name()).isEqualTo("spare-fn-1");
        // a package set found on the search path
        assertThat(sameAnswerFromASpare(List.of(ref("leaf")), List.of("nixpkgs=" + dir.resolve("defaults.nix"))))
                .isTrue();
        // not a string where a derivation's type is: evaluation cannot tell, from a spare or not
        assertThat(nix.evaluatedOutPaths(List.of(ref("defaults.nix#notString")), List.of(), Map.of())).isEmpty();
        assertThat(sameAnswerFromASpare(List.of(ref("defaults.nix#notString")), List.of())).isFalse();
    }

    @Test
    void whatASpareCannotSayAlikeIsAnsweredByTheCommand() {
        // Nix leaves a function of no set of arguments uncalled, calls { }: with nothing, cannot call { r }:, calls a
        // functor: a spare answers none of them, and each answer is the command's
        assertThat(sameAnswerFromASpare(List.of(ref("plain.nix#leaf")), List.of())).isFalse();
        assertThat(nix.evaluatedOutPaths(List.of(ref("plain.nix#leaf")), List.of(), Map.of())).isEmpty();
        assertThat(sameAnswerFromASpare(List.of(ref("no-formals.nix#leaf")), List.of())).isFalse();
        assertThat(nix.evaluatedOutPaths(List.of(ref("no-formals.nix#leaf")), List.of(), Map.of())).isPresent();
        assertThat(sameAnswerFromASpare(List.of(ref("required.nix#leaf")), List.of())).isFalse();
        assertThat(sameAnswerFromASpare(List.of(ref("functor.nix#leaf")), List.of())).isFalse();
        assertThat(nix.evaluatedOutPaths(List.of(ref("functor.nix#leaf")), List.of(), Map.of())).isPresent();
        // arguments Nix calls functions with
        SpareEvaluations.enable();
        nix.evaluatedOutPaths(List.of(ref("defaults.nix#leaf")), List.of(), Map.of("tag", "t"));
        SpareEvaluations.refill();
        long before = SpareEvaluations.taken();
        assertThat(nix.evaluatedOutPaths(List.of(ref("defaults.nix#leaf")), List.of(), Map.of("tag", "t"))
                .orElseThrow().get(0).name()).isEqualTo("spare-leaf-t");
        assertThat(SpareEvaluations.taken()).isEqualTo(before);
    }

    @Test
    void aSpareStartedBeforeASettingsChangeOrForOtherArgumentsIsNotUsed() throws Exception {
        List<PackageRef> leaf = List.of(ref("defaults.nix#leaf"));
        SpareEvaluations.enable();
        Optional<List<StorePath>> answer = nix.evaluatedOutPaths(leaf, List.of(), Map.of());
        SpareEvaluations.refill();
        Files.writeString(dir.resolve("config/nix/nix.conf"), "# changed after the spare started\n",
                java.nio.file.StandardOpenOption.APPEND);
        long before = SpareEvaluations.taken();
        assertThat(nix.evaluatedOutPaths(leaf, List.of(), Map.of())).isEqualTo(answer);
        assertThat(SpareEvaluations.taken()).isEqualTo(before);
        // the next one is started with the settings as they are now, and used
        SpareEvaluations.refill();
        assertThat(nix.evaluatedOutPaths(leaf, List.of(), Map.of())).isEqualTo(answer);
        assertThat(SpareEvaluations.taken()).isEqualTo(before + 1);
        // another search path: not the spare's
        SpareEvaluations.refill();
        assertThat(nix.evaluatedOutPaths(leaf, List.of("unused=" + dir), Map.of())).isEqualTo(answer);
        assertThat(SpareEvaluations.taken()).isEqualTo(before + 1);
    }

    @Test
    void aRetiredSpareEndsByItself() throws Exception {
        SpareEvaluations.enable();
        nix.evaluatedOutPaths(List.of(ref("defaults.nix#leaf")), List.of(), Map.of());
        SpareEvaluations.refill();
        List<ProcessHandle> spares = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("--eval --strict")).toList();
        assertThat(spares).hasSize(1);
        SpareEvaluations.retire();
        spares.get(0).onExit().get(10, TimeUnit.SECONDS);
        assertThat(spares.get(0).isAlive()).isFalse();
        // none held: the next evaluation runs the command, and answers all the same
        assertThat(nix.evaluatedOutPaths(List.of(ref("defaults.nix#leaf")), List.of(), Map.of())).isPresent();
    }
}
