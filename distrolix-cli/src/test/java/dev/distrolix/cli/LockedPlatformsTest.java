package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A lock of a multi-platform spec holds each platform's closure: the nginx example with {@code platforms:
 * [linux/amd64, linux/arm64]} locked against a real signed cache of both fixture closures (x86-64 and
 * aarch64, {@link SignedCache#bothPlatforms}), then built with {@code --locked} with no Nix at all; the index
 * must be the one Nix's own evaluation gives.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockedPlatformsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    SignedCache c;
    Path spec;
    String evaluatedDigest;

    @BeforeAll
    void lockBoth() throws Exception {
        c = SignedCache.get();
        spec = c.specCopy("platforms");
        Files.writeString(spec, Files.readString(spec) + "platforms: [linux/amd64, linux/arm64]\n");
        Cli evaluated = CliProcess.run(SignedCache.NIX_ENV, c.tmp, "build", spec.toString(), "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--no-lock", "--no-cache", "-o",
                "oci:" + c.tmp.resolve("platforms-evaluated") + ":1", "-q");
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        evaluatedDigest = evaluated.out().strip();
    }

    Cli lock(String cache) {
        return c.lock(spec, cache);
    }

    @Test
    void theLockHoldsEachPlatformsClosureAndBuildsTheIndexWithoutNix() throws Exception {
        Cli l = lock(c.bothPlatforms());
        assertThat(l.exitCode()).as(l.err()).isZero();
        assertThat(l.out()).contains("2 platforms (linux/arm64/v8, linux/amd64)");
        JsonNode lock = JSON.readTree(spec.resolveSibling("image.lock.json").toFile());
        assertThat(lock.has("system")).as("no top-level closure").isFalse();
        JsonNode platforms = lock.get("platforms");
        assertThat(platforms).extracting(p -> p.get("system").asText()).containsExactly("aarch64-linux", "x86_64-linux");
        String arm64Nginx = Fixtures.storePath("nginx-arm64");
        assertThat(platforms.get(0).at("/packages/0/outputs/0").asText()).isEqualTo(arm64Nginx);
        assertThat(platforms.get(1).at("/packages/0/outputs/0").asText()).isEqualTo(c.nginxPath);
        for (JsonNode p : platforms) {
            // each platform's whole closure, as Nix states it for that root
            List<String> paths = new ArrayList<>();
            p.get("paths").forEach(x -> paths.add(x.get("path").asText()));
            String root = p.at("/packages/0/outputs/0").asText();
            List<String> nixSays = Fixtures.run("nix-store", "--query", "--requisites", root).lines().sorted().toList();
            assertThat(paths).containsExactlyInAnyOrderElementsOf(nixSays);
        }

        Path out = c.tmp.resolve("platforms-locked");
        Cli b = c.withoutNix("build", spec.toString(), "--locked", "--no-cache", "-o", "oci:" + out + ":1", "-q");
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(b.out().strip()).as("the locked index is the evaluated one").isEqualTo(evaluatedDigest);
        JsonNode index = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "oci:" + out + ":1"));
        assertThat(index.get("manifests")).extracting(m -> m.at("/platform/architecture").asText())
                .containsExactly("amd64", "arm64");

        // one platform of the lock, by --platform: the same image the index holds for it
        Cli one = c.withoutNix("build", spec.toString(), "--locked", "--platform", "linux/arm64", "--no-cache", "-o",
                "oci:" + c.tmp.resolve("platforms-arm64") + ":1", "--json");
        assertThat(one.exitCode()).as(one.err()).isZero();
        String arm64Manifest = index.get("manifests").get(1).get("digest").asText();
        JsonNode oneIndex = JSON.readTree(Fixtures.run("skopeo", "inspect", "--raw", "oci:" + c.tmp.resolve("platforms-arm64") + ":1"));
        assertThat(oneIndex.get("manifests")).extracting(m -> m.get("digest").asText()).containsExactly(arm64Manifest);

        // a platform the lock does not pin: --locked refuses in one line, nothing written
        Path riscv = c.tmp.resolve("platforms-riscv");
        Cli not = c.withoutNix("build", spec.toString(), "--locked", "--platform", "linux/riscv64", "--no-cache", "-o",
                "oci:" + riscv + ":1", "-q");
        assertThat(not.exitCode()).isEqualTo(3);
        assertThat(not.err().strip()).doesNotContain("\n").contains("image.lock.json does not pin --platform linux/riscv64")
                .contains("distrolix lock");
        assertThat(riscv).doesNotExist();
    }

    @Test
    void aCacheWithoutOnePlatformsPathsCannotLockIt() throws Exception {
        Path lockFile = spec.resolveSibling("image.lock.json");
        byte[] before = Files.exists(lockFile) ? Files.readAllBytes(lockFile) : null;
        Cli l = lock("zstd"); // the x86-64 closure only
        assertThat(l.exitCode()).isEqualTo(3);
        String err = l.err().strip();
        assertThat(err).doesNotContain("\n").doesNotContain("Exception");
        List<String> arm64Closure = Fixtures.run("nix-store", "--query", "--requisites", Fixtures.storePath("nginx-arm64"))
                .lines().toList();
        assertThat(arm64Closure).as("the error names the missing arm64 path: " + err).anyMatch(err::contains);
        if (before == null) {
            assertThat(lockFile).doesNotExist();
        } else {
            assertThat(lockFile).hasBinaryContent(before);
        }
    }
}
