package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer cache: hits skip tar and compression, a one-file edit rebuilds one layer, damage is caught. */
@IntegrationTest
class LayerCacheTest {
    @TempDir
    Path tmp;

    private Path spec;
    private Path cache;

    @BeforeEach
    void copyExample() throws IOException {
        Path src = Fixtures.repo().resolve("examples/nginx");
        Path dst = Files.createDirectories(tmp.resolve("nginx"));
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        spec = dst.resolve("image.yaml");
        cache = tmp.resolve("cache");
    }

    private JsonNode build(String out) throws IOException {
        Cli r = Cli.run("build", spec.toString(), "--json", "--cache-dir", cache.toString(),
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "-o", "oci:" + tmp.resolve(out) + ":c");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static List<String> fates(JsonNode result) {
        List<String> f = new ArrayList<>();
        result.get("layers").forEach(l -> f.add(l.get("fate").asText()));
        return f;
    }

    @Test
    void secondBuildTakesEveryLayerFromTheCacheAndGivesTheSameDigest() throws IOException {
        JsonNode first = build("one");
        JsonNode second = build("two");
        assertThat(fates(first)).containsOnly("built").hasSize(7);
        assertThat(fates(second)).containsOnly("cached").hasSize(7);
        assertThat(second.get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
        Fixtures.run("skopeo", "copy", "oci:" + tmp.resolve("two") + ":c", "dir:" + tmp.resolve("check"));

        // the closure Nix reported is kept beside the layers (the second build asked no nix path-info); a record
        // damaged is not believed: Nix is asked again, the image is the same, the record is made again as it was
        List<Path> records;
        try (Stream<Path> s = Files.list(cache.resolve("closures"))) {
            records = s.toList();
        }
        assertThat(records).hasSize(1);
        byte[] record = Files.readAllBytes(records.get(0));
        byte[] damaged = record.clone();
        damaged[damaged.length / 2] ^= 1;
        Files.write(records.get(0), damaged);
        JsonNode third = build("three");
        assertThat(third.get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
        assertThat(Files.readAllBytes(records.get(0))).isEqualTo(record);
    }

    /**
     * The evaluation a build ran is recorded beside the layers, for the next build of the same spec to start before it
     * reads the spec; a record naming another evaluation (the same bytes of the spec, another package set) is started
     * and never taken: the image is the one Nix's own answer gives, and the record is made again as the build ran.
     * The spec's parse is kept too, by the document's bytes.
     */
    @Test
    void theEvaluationIsRecordedForTheNextBuildAndARecordOfAnotherIsNeverTaken() throws IOException {
        JsonNode first = build("one");
        List<Path> records;
        try (Stream<Path> s = Files.list(cache.resolve("evaluations"))) {
            records = s.toList();
        }
        assertThat(records).hasSize(1);
        byte[] record = Files.readAllBytes(records.get(0));
        var modified = Files.getLastModifiedTime(records.get(0));
        assertThat(build("two").get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
        assertThat(Files.getLastModifiedTime(records.get(0))).as("the same evaluation: not written again").isEqualTo(modified);

        String include = "nixpkgs=" + Fixtures.debianPackageSet();
        dev.distrolix.nix.EvaluationRecords.Slot slot = dev.distrolix.nix.EvaluationRecords.slot(
                dev.distrolix.nix.EvaluationRecords.beside(cache), dev.distrolix.blob.RecordKey.user(), spec, List.of(include), null);
        slot.store(List.of(List.of("--eval", Fixtures.debianPackageSet().toString(), "-A", "busybox.type", "-A",
                "busybox.outPath", "-I", include)));
        assertThat(Files.readAllBytes(records.get(0))).isNotEqualTo(record);
        assertThat(build("three").get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
        assertThat(Files.readAllBytes(records.get(0))).isEqualTo(record);

        // the spec's document is kept parsed beside the layers too, by its bytes: an edit is a new document
        try (Stream<Path> s = Files.list(cache.resolve("specs"))) {
            assertThat(s).hasSize(1);
        }
        String original = Files.readString(spec);
        Files.writeString(spec, original.replace("port: 80", "port: 8080"));
        JsonNode edited = build("four");
        assertThat(edited.get("manifestDigest")).isNotEqualTo(first.get("manifestDigest"));
        Files.writeString(spec, original);
        assertThat(build("five").get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
        try (Stream<Path> s = Files.list(cache.resolve("specs"))) {
            assertThat(s).hasSize(2);
        }
    }

    @Test
    void editingOneDeclaredFileRebuildsOnlyTheLastLayer() throws IOException {
        JsonNode before = build("before");
        Files.writeString(spec.resolveSibling("index.html"), "<h1>edited</h1>\n");
        JsonNode after = build("after");
        List<String> fates = fates(after);
        assertThat(fates.subList(0, 6)).containsOnly("cached");
        assertThat(fates.get(6)).isEqualTo("built");
        for (int i = 0; i < 6; i++) {
            assertThat(after.get("layers").get(i).get("digest")).isEqualTo(before.get("layers").get(i).get("digest"));
        }
        assertThat(after.get("layers").get(6).get("digest")).isNotEqualTo(before.get("layers").get(6).get("digest"));
    }

    @Test
    void aCorruptBlobInTheCacheIsDetectedAndRebuiltNeverShipped() throws IOException {
        JsonNode first = build("first");
        String hex = first.get("layers").get(0).get("digest").asText().substring("sha256:".length());
        Path blob = cache.resolve("blobs/sha256").resolve(hex);
        // an output never shares storage with the cache: its blob is a copy, not a hard link
        Path shipped = tmp.resolve("first/blobs/sha256").resolve(hex);
        assertThat(Files.isSameFile(shipped, blob)).as("output blob is the cache's file").isFalse();
        assertThat(shipped).hasSameBinaryContentAs(blob);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x55; // same size, different content
        Path damaged = tmp.resolve("damaged");
        Files.write(damaged, bytes);
        Files.move(damaged, blob, StandardCopyOption.REPLACE_EXISTING);

        JsonNode second = build("second");
        assertThat(fates(second).get(0)).isEqualTo("built");
        assertThat(fates(second).subList(1, 7)).containsOnly("cached");
        assertThat(second.get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
        Fixtures.run("skopeo", "copy", "oci:" + tmp.resolve("second") + ":c", "dir:" + tmp.resolve("check")); // re-hashes
        Files.write(blob, new byte[10]); // truncated
        assertThat(fates(build("third")).get(0)).isEqualTo("built");
    }

    @Test
    void twoBuildsInParallelSharingOneCacheGiveIdenticalValidOutputs() throws Exception {
        List<CompletableFuture<Cli>> runs = new ArrayList<>();
        for (String out : List.of("p1", "p2")) {
            runs.add(CompletableFuture.supplyAsync(() -> CliProcess.run(Map.of(), tmp, "build", spec.toString(), "-q",
                    "--cache-dir", cache.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                    "-o", "oci:" + tmp.resolve(out) + ":c")));
        }
        Cli a = runs.get(0).get();
        Cli b = runs.get(1).get();
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).startsWith("sha256:");
        for (String out : List.of("p1", "p2")) {
            Fixtures.run("skopeo", "copy", "oci:" + tmp.resolve(out) + ":c", "dir:" + tmp.resolve("check-" + out));
        }
    }

    @Test
    void verifyReadsEveryLayerAndDropsOneChangedInPlace() throws IOException {
        String digest = build("x").get("manifestDigest").asText();
        Cli ok = Cli.run("cache", "verify", "--cache-dir", cache.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).matches(java.util.regex.Pattern.quote(cache.toString()) + ": 7 layers, 7 blobs, .+ intact\n");

        // the largest blob changes in place, keeping its size and time: a build would trust it as it is
        Path blob;
        try (Stream<Path> s = Files.list(cache.resolve("blobs/sha256"))) {
            blob = s.max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(blob);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(blob, bytes);
        Files.setLastModifiedTime(blob, time);

        Cli found = Cli.run("cache", "verify", "--cache-dir", cache.toString());
        assertThat(found.exitCode()).isEqualTo(4);
        assertThat(found.out().lines()).first().asString()
                .startsWith("damaged  " + blob.getFileName().toString().substring(0, 12) + ": ").endsWith("; dropped");
        assertThat(found.out()).contains(": 6 layers, 6 blobs, ").contains("1 damaged, dropped");
        assertThat(blob).doesNotExist();
        // the next build makes that layer again, the same bytes
        JsonNode again = build("y");
        assertThat(fates(again)).containsOnlyOnce("built");
        assertThat(again.get("manifestDigest").asText()).isEqualTo(digest);
        assertThat(Cli.run("cache", "verify", "--cache-dir", cache.toString()).exitCode()).isZero();

        Cli none = Cli.run("cache", "verify", "--cache-dir", tmp.resolve("no-cache").toString());
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.err()).isEqualTo("distrolix: " + tmp.resolve("no-cache") + ": no layer cache here (no keys/ folder)\n");
    }

    @Test
    void duAndPruneReportAndEmptyTheCache() throws IOException {
        build("x");
        Cli du = Cli.run("cache", "du", "--cache-dir", cache.toString());
        assertThat(du.exitCode()).isZero();
        assertThat(du.out()).contains(": 7 layers, 7 blobs, ");
        Cli prune = Cli.run("cache", "prune", "--cache-dir", cache.toString());
        assertThat(prune.out()).contains(": 0 layers, 0 blobs, 0 B left");
        assertThat(fates(build("y"))).containsOnly("built");
        Cli keep = Cli.run("cache", "prune", "--older-than", "1d", "--cache-dir", cache.toString());
        assertThat(keep.out()).contains(": 7 layers, 7 blobs");
        Cli bad = Cli.run("cache", "prune", "--older-than", "soon", "--cache-dir", cache.toString());
        assertThat(bad.exitCode()).isEqualTo(3);
        assertThat(bad.errLine()).startsWith("distrolix: --older-than: expected");
    }
}
