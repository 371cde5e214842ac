package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o docker:} asks the Docker engine before any Nix work: no engine, one line, exit 1. */
@IntegrationTest
class DockerTargetCheckTest {
    @TempDir
    Path tmp;

    @Test
    void noDockerEngineFailsFastBeforeNix() throws Exception {
        // a package no package set has: had Nix been asked first, this would be an input error (exit 3)
        Path spec = Files.writeString(tmp.resolve("image.yaml"),
                "name: x\npackages: [no-such-package-distrolix-test]\nconfig: { cmd: [/bin/x] }\n");
        long start = System.nanoTime();
        Cli r = CliProcess.run(Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-docker.sock")), tmp,
                "build", spec.toString(), "-o", "docker:x:1");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Distrolix.EXIT_FAILURE);
        assertThat(r.err().lines().filter(l -> l.startsWith("distrolix: "))).hasSize(1);
        assertThat(r.errLine()).startsWith("distrolix: docker ").doesNotContain("no-such-package");
        assertThat(r.err()).doesNotContain("closure").doesNotContain("packages ");
        assertThat(seconds).as("fails fast").isLessThan(30);
    }
}
