package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * distrolix ended by SIGTERM (a CI job cancelled, Ctrl-C) while Nix works leaves no Nix process behind: a
 * nix-instantiate parsing a large file does not stop for its parent's end, and ran on as an orphan.
 */
@IntegrationTest
class TerminatedNixTest {
    @TempDir
    Path tmp;

    @Test
    void nixProcessesEndWithTheJvm() throws Exception {
        // seconds of work for Nix's lexer (~12 s here): one name 4 MB long
        Files.writeString(tmp.resolve("slow.nix"), "x".repeat(4_000_000) + "\n");
        Path spec = Files.writeString(tmp.resolve("image.yaml"),
                "name: slow\npackages:\n  - { file: ./slow.nix }\nconfig: { cmd: [/x] }\n");
        Process cli = CliProcess.start(Map.of("HOME", tmp.resolve("home").toString(), "NIX_CONFIG", "substituters ="),
                tmp, tmp.resolve("log"), "build", spec.toString(), "--no-cache", "-q", "-o", "oci:" + tmp.resolve("out") + ":1");
        Optional<ProcessHandle> nix = Optional.empty();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); nix.isEmpty() && System.nanoTime() < end; ) {
            nix = cli.descendants().filter(TerminatedNixTest::isNix).findFirst();
            Thread.sleep(50);
        }
        assertThat(nix).as("a Nix process of the build (log: %s)", Files.readString(tmp.resolve("log"))).isPresent();
        List<ProcessHandle> started = cli.descendants().filter(TerminatedNixTest::isNix).toList();
        // still at work when the CLI is ended: what ends with the CLI below ended because of it
        assertThat(started).anyMatch(ProcessHandle::isAlive);
        try {
            cli.destroy(); // SIGTERM
            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
            Thread.sleep(2_000); // what the JVM's end killed is gone by now; an orphan parses on for many seconds
            for (ProcessHandle p : started) {
                assertThat(p.isAlive()).as("%s after the CLI ended", p.info().commandLine().orElse("?")).isFalse();
            }
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** nix-build and the others are links to /usr/bin/nix: their executable is nix, their argv[0] their name. */
    private static boolean isNix(ProcessHandle p) {
        return p.info().command().orElse("").endsWith("/nix") || p.info().commandLine().orElse("").contains("/nix-");
    }
}
