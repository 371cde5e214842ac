package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A temporary folder that is gone (a stale TMPDIR, a -Djava.io.tmpdir that was never made) is named as such, in
 * one line, exit 3, and nothing is written: not "Nix file … does not exist", not a bare path.
 */
@IntegrationTest
class TempFolderTest {
    @TempDir
    Path tmp;

    private Cli build(Path out, String... env) {
        Map<String, String> e = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "NIX_CONFIG", "substituters ="));
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return CliProcess.run(e, tmp, "build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE,
                "--no-cache", "-q", "-o", "oci:" + out + ":1");
    }

    /** The last line of stderr (the JVM may warn first about its own options). */
    private static String lastLine(Cli r) {
        String[] lines = r.err().strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aTmpdirThatIsGoneIsNamedForWhatItIs() {
        Path gone = tmp.resolve("gone");
        Cli r = build(tmp.resolve("out"), "TMPDIR", gone.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("distrolix: the temporary folder " + gone
                + " (TMPDIR) does not exist: Nix works there; create it or unset TMPDIR");
        assertThat(Files.exists(tmp.resolve("out"))).isFalse();
    }

    @Test
    void aJavaTempFolderThatIsGoneIsNamedForWhatItIs() {
        Path gone = tmp.resolve("no-such-folder");
        Cli r = build(tmp.resolve("out"), "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + gone);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(lastLine(r)).isEqualTo("distrolix: the temporary folder " + gone + " (java.io.tmpdir) does not"
                + " exist: create it, or name another with DISTROLIX_JAVA_OPTS=-Djava.io.tmpdir=DIR");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.exists(tmp.resolve("out"))).isFalse();
    }
}
