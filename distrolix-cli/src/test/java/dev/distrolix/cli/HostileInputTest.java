package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.hostile.HostileCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus ({@link HostileCorpus}) against the command line, each command in its
 * own JVM with the default heap: {@code inspect}, {@code audit} and {@code copy} on every image
 * case, {@code build} on every spec case. A bad input is one line on stderr ({@code distrolix: …}
 * with the expected fragment, no stack trace, no "internal error"), exit 3, within 10 s; a legal
 * one succeeds. {@code copy} copies layer bytes verbatim, so it fails only where the image's
 * documents or blob digests are bad. Tagged: it spawns a JVM per command.
 */
@IntegrationTest
class HostileInputTest {
    private static final long BOUND_MS = 10_000;

    @TempDir
    static Path tmp;
    private static List<HostileCorpus.Case> corpus;

    static Stream<HostileCorpus.Case> cases() {
        if (corpus == null) {
            corpus = HostileCorpus.write(tmp.resolve("corpus"));
        }
        return corpus.stream();
    }

    private static Cli run(String... args) {
        long start = System.nanoTime();
        Cli r = CliProcess.run(Map.of(), tmp, args);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("%s took %d ms: %s", String.join(" ", args), ms, r.err()).isLessThan(BOUND_MS);
        System.out.printf("hostile | %s | exit %d | %d ms | %s%n", String.join(" ", args).replace(tmp.toString(), "T"),
                r.exitCode(), ms, r.err().strip().replace(tmp.toString(), "T"));
        return r;
    }

    private static void assertRefused(Cli r, HostileCorpus.Case c, String command) {
        assertThat(r.exitCode()).as("%s: %s: %s", c, command, r.err()).isEqualTo(c.exit());
        assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("distrolix: ").doesNotContain("internal error")
                .doesNotContain("Exception").containsPattern(Pattern.compile(c.fragment()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCommandAnswersWithOneLineAndItsExitCode(HostileCorpus.Case c) throws Exception {
        if (c.stage() == HostileCorpus.Stage.SPEC) {
            Path out = tmp.resolve("built-" + Math.abs(c.name().hashCode()));
            Cli r = run("build", c.reference(), "-q", "-o", "oci:" + out);
            assertRefused(r, c, "build");
            assertThat(out).doesNotExist();
            return;
        }
        for (String command : List.of("inspect", "audit")) {
            Cli r = run(command, c.reference());
            if (c.stage() == HostileCorpus.Stage.OK) {
                assertThat(r.exitCode()).as("%s %s: %s", command, c, r.err()).isIn(0, Distrolix.EXIT_FINDINGS); // audit: findings
                assertThat(r.err()).doesNotContain("internal error").doesNotContain("Exception");
            } else {
                assertRefused(r, c, command);
            }
        }
        Path out = tmp.resolve("copy-" + Math.abs(c.name().hashCode()));
        Cli r = run("copy", "-q", c.reference(), "oci:" + out + ":1");
        if (c.stage().copyFails()) {
            assertRefused(r, c, "copy");
            assertThat(out.resolve("index.json")).doesNotExist();
        } else {
            assertThat(r.exitCode()).as("copy %s: %s", c, r.err()).isZero();
            assertThat(Files.exists(out.resolve("index.json"))).isTrue();
        }
    }
}
