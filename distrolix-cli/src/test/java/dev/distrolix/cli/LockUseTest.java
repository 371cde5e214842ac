package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A build without {@code --locked} uses a lock that is present and fresh: the packages are pinned by it (Nix
 * evaluates nothing), read from the local store where it holds every path with the locked NAR hash, else
 * fetched from the lock's caches; a stale lock, {@code -I} and {@code --no-lock} make Nix evaluate the spec.
 * "Nix evaluates nothing" is shown by an empty NIX_PATH: evaluating {@code nginx} then fails.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockUseTest {
    SignedCache c;

    @BeforeAll
    void caches() throws Exception {
        c = SignedCache.get();
    }

    /** The CLI with no package set to evaluate against: only a lock can name the packages. */
    Cli buildWithoutNixPath(Path spec, String out, String... more) {
        Map<String, String> env = new HashMap<>(SignedCache.NIX_ENV);
        env.put("NIX_PATH", "");
        String[] args = new String[5 + more.length];
        args[0] = "build";
        args[1] = spec.toString();
        args[2] = "--no-cache";
        args[3] = "-o";
        args[4] = "oci:" + c.tmp.resolve(out);
        System.arraycopy(more, 0, args, 5, more.length);
        return CliProcess.run(env, c.tmp, args);
    }

    static String digest(Cli r) {
        return r.out().lines().filter(l -> l.startsWith("digest ")).map(l -> l.substring(6).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no digest line in: " + r.out()));
    }

    /**
     * Like a build, `lock` evaluates packages already built instead of running nix-build (which writes every
     * derivation of their graph to the store): with a nix-build first on PATH that only fails, the lock is made,
     * the same as with the real one.
     */
    @Test
    void aLockOfPackagesBuiltAlreadyRunsNoNixBuild() throws Exception {
        Path spec = c.specCopy("lock-evaluated");
        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        String withNixBuild = Files.readString(spec.resolveSibling("image.lock.json"));
        Files.delete(spec.resolveSibling("image.lock.json"));
        Path bin = Files.createDirectories(c.tmp.resolve("failing-nix-build"));
        Path marker = bin.resolve("called");
        Fixtures.script(bin.resolve("nix-build"), "touch '" + marker + "'\nexit 1");
        Map<String, String> env = new HashMap<>(SignedCache.NIX_ENV);
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        Cli r = CliProcess.run(env, c.tmp, "lock", spec.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--substituter", c.url("zstd"), "--trusted-public-key", c.publicKey);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(marker).doesNotExist();
        assertThat(Files.readString(spec.resolveSibling("image.lock.json"))).isEqualTo(withNixBuild);
    }

    @Test
    void aFreshLockPinsThePackagesAndTheLocalStoreServesThem() throws Exception {
        Path spec = c.specCopy("use-local");
        Cli unlocked = buildWithoutNixPath(spec, "use-local-none");
        assertThat(unlocked.exitCode()).as("without a lock Nix must evaluate, and has no nixpkgs").isEqualTo(3);

        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        Cli r = buildWithoutNixPath(spec, "use-local-out");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("using image.lock.json (6 store paths, from the local store)");
        assertThat(digest(r)).isEqualTo(c.localDigest);
    }

    /**
     * With a layer cache, the local store's closure is recorded beside it as for an evaluating build: the next
     * build from the lock asks no Nix program (here there is none to ask) and still reads the local store.
     */
    @Test
    void aWarmBuildFromAFreshLockRunsNoNix() throws Exception {
        Path spec = c.specCopy("use-records");
        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        Path cache = c.tmp.resolve("use-records-cache");
        Cli first = CliProcess.run(SignedCache.NIX_ENV, c.tmp, "build", spec.toString(), "--cache-dir", cache.toString(),
                "-o", "oci:" + c.tmp.resolve("use-records-1"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("using image.lock.json (6 store paths, from the local store)");

        Cli warm = c.withoutNixPrograms("build", spec.toString(), "--cache-dir", cache.toString(),
                "-o", "oci:" + c.tmp.resolve("use-records-2"));
        assertThat(warm.exitCode()).as(warm.err()).isZero();
        assertThat(warm.err()).as("answered from the closure record, not fetched")
                .contains("using image.lock.json (6 store paths, from the local store)");
        assertThat(digest(warm)).isEqualTo(c.localDigest).isEqualTo(digest(first));
    }

    @Test
    void withoutNixAFreshLockIsFetchedFromItsCaches() throws Exception {
        Path spec = c.specCopy("use-fetch");
        assertThat(c.lock(spec, "xz").exitCode()).isZero();
        Path out = c.tmp.resolve("use-fetch-out");
        Cli r = c.withoutNix("build", spec.toString(), "--no-cache", "-o", "oci:" + out);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("using image.lock.json (6 store paths, fetched from " + c.url("xz") + ")");
        assertThat(digest(r)).isEqualTo(c.localDigest);
    }

    @Test
    void aStaleLockIsNotUsedAndSaysSo() throws Exception {
        Path spec = c.specCopy("use-stale");
        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        Files.writeString(spec, Files.readString(spec) + "# edited after locking\n");
        Map<String, String> env = new HashMap<>(SignedCache.NIX_ENV);
        env.put("NIX_PATH", "nixpkgs=" + Fixtures.debianPackageSet());
        Cli r = CliProcess.run(env, c.tmp, "build", spec.toString(), "--no-cache", "-o", "oci:" + c.tmp.resolve("use-stale-out"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("image.lock.json is stale").contains("run distrolix lock").doesNotContain("using image.lock.json");
        assertThat(r.err().indexOf("image.lock.json is stale")).as("the lock is read beside the spec; its notice comes first")
                .isLessThan(r.err().indexOf("spec      "));
        assertThat(digest(r)).as("a comment changes no byte of the image").isEqualTo(c.localDigest);
    }

    /** A damaged lock beside the spec is not silently skipped: one line naming it, exit 3, nothing written. */
    @Test
    void aDamagedLockIsAnInputError() throws Exception {
        Path spec = c.specCopy("use-damaged");
        Files.writeString(spec.resolveSibling("image.lock.json"), "{\"schemaVersion\" : 1, \"spec\" : ");
        Path out = c.tmp.resolve("use-damaged-out");
        Cli r = buildWithoutNixPath(spec, "use-damaged-out");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err().lines().filter(l -> l.startsWith("distrolix: "))).hasSize(1);
        assertThat(r.errLine()).contains("image.lock.json").contains("not a valid lock").contains("run distrolix lock");
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    /** The lock is read on its own thread while the spec loads: with both bad, the lock's error is still the one. */
    @Test
    void aDamagedLockIsReportedBeforeABadSpec() throws Exception {
        Path spec = c.specCopy("use-damaged-both");
        Files.writeString(spec.resolveSibling("image.lock.json"), "{\"schemaVersion\" : 1, \"spec\" : ");
        Files.writeString(spec, Files.readString(spec) + "no-such-key: 1\n");
        Cli r = buildWithoutNixPath(spec, "use-damaged-both-out");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err().lines().filter(l -> l.startsWith("distrolix: "))).hasSize(1);
        assertThat(r.errLine()).contains("image.lock.json").contains("not a valid lock");
        assertThat(c.tmp.resolve("use-damaged-both-out")).doesNotExist();

        Files.delete(spec.resolveSibling("image.lock.json"));
        Cli specOnly = buildWithoutNixPath(spec, "use-damaged-both-out");
        assertThat(specOnly.exitCode()).as(specOnly.err()).isEqualTo(3);
        assertThat(specOnly.errLine()).as("the spec is bad too").contains("no-such-key");
    }

    /** A spec on stdin has no lock beside it: --locked is refused at once, before stdin (here never closed) is read. */
    @Test
    void lockedWithASpecOnStdinIsRefusedBeforeStdinIsRead() throws Exception {
        Path log = c.tmp.resolve("stdin-locked.log");
        Process p = CliProcess.start(Map.of(), c.tmp, log, "build", "-", "--locked", "-o", "oci:" + c.tmp.resolve("stdin-locked"));
        try {
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("ended without its stdin closed").isTrue();
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(Files.readString(log)).contains("--locked needs a spec file").doesNotContain("\tat ");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void dashIAndNoLockMakeNixEvaluate() throws Exception {
        Path spec = c.specCopy("use-ignored");
        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        Cli withI = CliProcess.run(SignedCache.NIX_ENV, c.tmp, "build", spec.toString(), "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--no-cache", "-o", "oci:" + c.tmp.resolve("use-i-out"));
        assertThat(withI.exitCode()).as(withI.err()).isZero();
        assertThat(withI.err()).contains("image.lock.json not used: -I names the package set");
        assertThat(digest(withI)).isEqualTo(c.localDigest);

        Cli noLock = buildWithoutNixPath(spec, "use-nolock-out", "--no-lock");
        assertThat(noLock.exitCode()).as("--no-lock evaluates, and there is no nixpkgs").isEqualTo(3);
        assertThat(noLock.err()).doesNotContain("using image.lock.json");
        assertThat(c.tmp.resolve("use-nolock-out")).doesNotExist();

        Cli both = Cli.run("build", spec.toString(), "--locked", "--no-lock", "-o", "oci:" + c.tmp.resolve("both"));
        assertThat(both.exitCode()).isEqualTo(3);
        assertThat(both.errLine()).contains("--locked and --no-lock");
    }
}
