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
 * A temporary folder that is gone (a stale TMPDIR where Nix has to build, a -Djava.io.tmpdir that was never made) is
 * named as such, in one line, exit 3, and nothing is written: not "Nix file … does not exist", not a bare path.
 */
@IntegrationTest
class TempFolderTest {
    @TempDir
    Path tmp;

    private Cli build(Path out, String... env) {
        return build(NginxImageTest.EXAMPLE, out, env);
    }

    private Cli build(Path spec, Path out, String... env) {
        Map<String, String> e = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "NIX_CONFIG", "substituters ="));
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return CliProcess.run(e, tmp, "build", spec.toString(), "-I", NginxImageTest.INCLUDE,
                "--no-cache", "-q", "-o", "oci:" + out + ":1");
    }

    /** The last line of stderr (the JVM may warn first about its own options). */
    private static String lastLine(Cli r) {
        String[] lines = r.err().strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aTmpdirThatIsGoneIsNamedForWhatItIs() throws Exception {
        Path gone = tmp.resolve("gone");
        // packages already built are only evaluated: Nix needs no temporary folder for them
        Cli built = build(tmp.resolve("built"), "TMPDIR", gone.toString());
        assertThat(built.exitCode()).as(built.err()).isZero();
        // a package to build: Nix works in TMPDIR (a derivation of this test's own, never built before)
        Files.writeString(tmp.resolve("pkg.nix"), "builtins.derivation { name = \"tmpdir-" + System.nanoTime()
                + "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; args = [ \"-c\" \"echo > $out\" ]; }\n");
        Path spec = tmp.resolve("image.yaml");
        Files.writeString(spec, "name: tmpdir\npackages:\n  - ./pkg.nix\n");
        Cli r = build(spec, tmp.resolve("out"), "TMPDIR", gone.toString());
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
