package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code distrolix lock} and {@code build --locked} against real signed binary caches of the nginx fixture's
 * closure ({@code nix copy --to file://…?compression=xz|zstd|bzip2}, then {@code nix store sign --store} on the
 * cache, never the local store), served by a real nginx (the fixture's own, which is Debian's nginx 1.22.1
 * relinked) on 127.0.0.1. The locked build runs in a mount namespace with an empty tmpfs on /nix and
 * /bin/false over every nix program, and must give the normal build's manifest digest.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockedBuildTest {
    static final String X = SignedCache.X;
    static final String NIX_COMMAND = SignedCache.NIX_COMMAND;

    SignedCache c;
    Path tmp;
    Path caches;
    String publicKey;
    String otherSecretKey;
    int port;
    String localDigest;

    @BeforeAll
    void caches() throws Exception {
        c = SignedCache.get();
        tmp = c.tmp;
        caches = c.caches;
        publicKey = c.publicKey;
        otherSecretKey = c.otherSecretKey;
        port = c.port;
        localDigest = c.localDigest;
    }

    String url(String cache) {
        return c.url(cache);
    }

    Path specCopy(String name) throws IOException {
        return c.specCopy(name);
    }

    Cli lock(Path spec, String cache) {
        return c.lock(spec, cache);
    }

    /** build --locked with no /nix (empty tmpfs) and every nix program replaced by /bin/false. */
    Cli lockedBuildWithoutNix(Path spec, Path out) {
        return c.withoutNix("build", spec.toString(), "--locked", "--no-cache", "-o", "oci:" + out, "-q");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zstd", "bzip2"})
    void lockedBuildWithoutNixGivesTheLocalBuildsDigest(String compression) throws Exception {
        Path spec = specCopy(compression);
        Cli l = lock(spec, compression);
        assertThat(l.exitCode()).as(l.err()).isZero();
        Path lockFile = spec.resolveSibling("image.lock.json");
        String lock = Files.readString(lockFile);
        assertThat(lock).contains("\"schemaVersion\" : 1", c.nginxPath, url(compression), publicKey,
                "\"sigs\"", "test-cache-1:");
        assertThat(lock.split("\"narHash\"", -1)).hasSize(7); // the whole closure: 6 paths

        Cli b = lockedBuildWithoutNix(spec, tmp.resolve("out-" + compression));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(b.out().strip()).isEqualTo(localDigest);
    }

    @Test
    void reLockingAnUnchangedSpecIsByteIdentical() throws Exception {
        Path spec = specCopy("relock");
        assertThat(lock(spec, "zstd").exitCode()).isZero();
        byte[] first = Files.readAllBytes(spec.resolveSibling("image.lock.json"));
        assertThat(lock(spec, "zstd").exitCode()).isZero();
        assertThat(Files.readAllBytes(spec.resolveSibling("image.lock.json"))).isEqualTo(first);
    }

    @Test
    void aStaleOrMissingLockIsAnInputError() throws Exception {
        Path spec = specCopy("stale");
        Cli missing = Cli.run("build", spec.toString(), "--locked", "-o", "oci:" + tmp.resolve("stale-out"));
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.errLine()).contains("run distrolix lock");
        assertThat(lock(spec, "zstd").exitCode()).isZero();
        Files.writeString(spec, Files.readString(spec) + "# changed\n");
        Cli stale = Cli.run("build", spec.toString(), "--locked", "-o", "oci:" + tmp.resolve("stale-out"));
        assertThat(stale.exitCode()).isEqualTo(3);
        assertThat(stale.errLine()).contains("stale").contains("run distrolix lock");
        assertThat(tmp.resolve("stale-out")).doesNotExist();
    }

    /** A copy of the zstd cache with one fault; the lock (made from the good cache) is pointed at it. */
    Cli lockedBuildFromFaultyCache(String name, UnaryOperator<Path> fault) throws Exception {
        Path spec = specCopy("fault-" + name);
        assertThat(lock(spec, "zstd").exitCode()).isZero();
        Path dir = caches.resolve("fault-" + name);
        copyTree(caches.resolve("zstd"), dir);
        fault.apply(dir);
        Path lockFile = spec.resolveSibling("image.lock.json");
        Files.writeString(lockFile, Files.readString(lockFile).replace(url("zstd"), url("fault-" + name)));
        Path out = tmp.resolve("fault-out-" + name);
        Cli r = Cli.run("build", spec.toString(), "--locked", "--no-cache", "-o", "oci:" + out);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err().lines().filter(l -> l.startsWith("distrolix: "))).hasSize(1);
        assertThat(out).as("no target written").doesNotExist();
        return r;
    }

    static final String GLIBC = "-glibc-2.36";

    Path narinfoOf(Path cache, String nameSuffix) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".narinfo")).toList()) {
                if (Files.readString(p).lines().anyMatch(l -> l.startsWith("StorePath: ") && l.endsWith(nameSuffix))) {
                    return p;
                }
            }
        }
        throw new AssertionError("no narinfo for " + nameSuffix);
    }

    static String field(String narinfo, String key) {
        return narinfo.lines().filter(l -> l.startsWith(key + ": ")).findFirst().orElseThrow().substring(key.length() + 2);
    }

    Path editNarinfo(Path cache, UnaryOperator<String> edit) {
        try {
            Path p = narinfoOf(cache, GLIBC);
            Files.writeString(p, edit.apply(Files.readString(p)));
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String glibcPath() throws IOException {
        return field(Files.readString(narinfoOf(caches.resolve("zstd"), GLIBC)), "StorePath");
    }

    /** One byte of a file changed, recompressed, FileHash/FileSize made to match: only NarHash can tell. */
    void tamperNar(Path cache, String nameSuffix) {
        try {
            Path info = narinfoOf(cache, nameSuffix);
            String text = Files.readString(info);
            Path nar = cache.resolve(field(text, "URL"));
            Path plain = tmp.resolve("tampered-" + cache.getFileName() + ".nar");
            Fixtures.run("zstd", "-q", "-d", "-f", nar.toString(), "-o", plain.toString());
            byte[] b = Files.readAllBytes(plain);
            b[b.length / 2] ^= 0x01;
            Files.write(plain, b);
            Fixtures.run("zstd", "-q", "-f", plain.toString(), "-o", nar.toString());
            String hex = Fixtures.run("sha256sum", nar.toString()).split(" ")[0];
            String nix32 = Fixtures.run("nix-hash", "--type", "sha256", "--to-base32", hex).strip();
            Files.writeString(info, text.replace(field(text, "FileHash"), "sha256:" + nix32)
                    .replace("FileSize: " + field(text, "FileSize"), "FileSize: " + Files.size(nar)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aNarWhoseHashDiffersIsRefused() throws Exception {
        Cli r = lockedBuildFromFaultyCache("narhash", cache -> {
            tamperNar(cache, GLIBC);
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("NarHash").contains("http://127.0.0.1:" + port);
    }

    /**
     * nginx's NAR is read for the profile's links (/usr/local/bin → …) even when its layer comes from the
     * layer cache (and the listing has no record yet): that read is checked too, before anything is written.
     */
    @Test
    void aNarReadOnlyForProfileLinksIsCheckedToo() throws Exception {
        Path spec = specCopy("listing");
        assertThat(lock(spec, "zstd").exitCode()).isZero();
        Path layerCache = tmp.resolve("listing-layer-cache");
        Cli warm = Cli.run("build", spec.toString(), "--locked", "--cache-dir", layerCache.toString(), "-o",
                "oci:" + tmp.resolve("listing-warm"), "-q");
        assertThat(warm.exitCode()).as(warm.err()).isZero();
        Fixtures.run("rm", "-r", layerCache.resolve("listings").toString()); // else nginx's NAR is not read again
        Path dir = caches.resolve("fault-listing");
        copyTree(caches.resolve("zstd"), dir);
        tamperNar(dir, "-nginx-1.22.1");
        Path lockFile = spec.resolveSibling("image.lock.json");
        Files.writeString(lockFile, Files.readString(lockFile).replace(url("zstd"), url("fault-listing")));
        Path out = tmp.resolve("listing-out");
        Cli r = Cli.run("build", spec.toString(), "--locked", "--cache-dir", layerCache.toString(), "-o", "oci:" + out);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.errLine()).contains("-nginx-1.22.1").contains("NarHash").contains(url("fault-listing"));
        assertThat(out).as("no target written").doesNotExist();
    }

    /**
     * A runner without Nix whose layer cache was kept (a CI cache) builds from the lock again: it asks the binary
     * cache for nothing, neither its layers' NARs nor the NAR it lists for the profile's links (nginx's: the listing
     * is recorded beside the layer cache).
     */
    @Test
    void aWarmBuildFromALockFetchesNothing() throws Exception {
        copyTree(caches.resolve("xz"), caches.resolve("warm")); // its own: the access log tells its requests apart
        Path spec = specCopy("warm");
        assertThat(lock(spec, "warm").exitCode()).isZero();
        Path layers = tmp.resolve("warm-layer-cache");
        Cli cold = c.withoutNix("build", spec.toString(), "--locked", "--cache-dir", layers.toString(), "-o",
                "oci:" + tmp.resolve("warm-1"), "-q");
        assertThat(cold.exitCode()).as(cold.err()).isZero();
        assertThat(cold.out().strip()).isEqualTo(localDigest);
        List<String> coldNars = c.requests("warm").stream().filter(r -> r.contains("/nar/")).toList();
        assertThat(coldNars).as("each of the closure's 6 NARs, once").hasSize(6).doesNotHaveDuplicates();
        int before = c.requests("warm").size();

        Cli warm = c.withoutNix("build", spec.toString(), "--locked", "--cache-dir", layers.toString(), "-o",
                "oci:" + tmp.resolve("warm-2"), "-q");
        assertThat(warm.exitCode()).as(warm.err()).isZero();
        assertThat(warm.out().strip()).isEqualTo(localDigest);
        assertThat(c.requests("warm")).hasSize(before);

        // without the listing's record, nginx's narinfo and NAR are fetched for the links, and nothing else
        Fixtures.run("rm", "-r", layers.resolve("listings").toString());
        Cli relisted = c.withoutNix("build", spec.toString(), "--locked", "--cache-dir", layers.toString(), "-o",
                "oci:" + tmp.resolve("warm-3"), "-q");
        assertThat(relisted.exitCode()).as(relisted.err()).isZero();
        assertThat(relisted.out().strip()).isEqualTo(localDigest);
        List<String> asked = c.requests("warm");
        String nginx = Files.readString(narinfoOf(caches.resolve("warm"), "-nginx-1.22.1"));
        String hashPart = c.nginxPath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
        assertThat(asked.subList(before, asked.size()))
                .containsExactlyInAnyOrder("/warm/" + hashPart + ".narinfo", "/warm/" + field(nginx, "URL"));
    }

    @Test
    void aNarinfoWithAnEditedNarHashIsRefused() throws Exception {
        String other = field(Files.readString(narinfoOf(caches.resolve("zstd"), "-zlib-1.2.13")), "NarHash");
        Cli r = lockedBuildFromFaultyCache("edited", cache -> {
            editNarinfo(cache, t -> t.replace(field(t, "NarHash"), other));
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains(".narinfo").contains("signature");
    }

    @Test
    void aSignatureByAnUntrustedKeyIsRefused() throws Exception {
        Cli r = lockedBuildFromFaultyCache("untrusted", cache -> {
            editNarinfo(cache, t -> t.lines().filter(l -> !l.startsWith("Sig: ")).map(l -> l + "\n")
                    .reduce("", String::concat));
            nix(tmp, "nix", X, NIX_COMMAND, "store", "sign", "--store", "file://" + cache, "--key-file", otherSecretKey,
                    glibcPathUnchecked());
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("no valid signature by a trusted key").contains("other-key");
    }

    @Test
    void noSignatureIsRefused() throws Exception {
        Cli r = lockedBuildFromFaultyCache("unsigned", cache -> {
            editNarinfo(cache, t -> t.lines().filter(l -> !l.startsWith("Sig: ")).map(l -> l + "\n")
                    .reduce("", String::concat));
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("no signature");
    }

    @Test
    void aTruncatedNarIsRefused() throws Exception {
        Cli r = lockedBuildFromFaultyCache("truncated", cache -> {
            truncateGlibcNar(cache);
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("FileSize").contains("http://127.0.0.1:" + port);
    }

    @Test
    void aTruncatedNarWithoutFileSizeIsRefusedByTheNarCheck() throws Exception {
        Cli r = lockedBuildFromFaultyCache("truncated-nosize", cache -> {
            truncateGlibcNar(cache);
            editNarinfo(cache, t -> t.lines().filter(l -> !l.startsWith("FileSize: ") && !l.startsWith("FileHash: "))
                    .map(l -> l + "\n").reduce("", String::concat));
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("damaged").contains(".nar.zst");
    }

    @Test
    void aMissingNarIs404() throws Exception {
        Cli r = lockedBuildFromFaultyCache("404", cache -> {
            try {
                Files.delete(cache.resolve(field(Files.readString(narinfoOf(cache, GLIBC)), "URL")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("is not there").contains(".nar.zst");
    }

    @Test
    void aMissingNarinfoIsInNoSubstituter() throws Exception {
        Cli r = lockedBuildFromFaultyCache("no-narinfo", cache -> {
            try {
                Files.delete(narinfoOf(cache, GLIBC));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return cache;
        });
        assertThat(r.errLine()).contains(glibcPath()).contains("in no substituter");
    }

    @Test
    void doctorSaysWhatItFound() {
        Cli r = Cli.run("doctor");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("nix ").contains("podman").contains("docker").contains("skopeo");
        assertThat(r.out().lines().filter(l -> l.startsWith("nix ")).findFirst().orElseThrow()).contains("nix (Nix)");
    }

    void truncateGlibcNar(Path cache) {
        try {
            Path nar = cache.resolve(field(Files.readString(narinfoOf(cache, GLIBC)), "URL"));
            byte[] b = Files.readAllBytes(nar);
            Files.write(nar, java.util.Arrays.copyOf(b, b.length / 2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String glibcPathUnchecked() {
        try {
            return glibcPath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        SignedCache.copyTree(from, to);
    }

    static void nix(Path dir, String... command) {
        SignedCache.nix(dir, command);
    }
}
