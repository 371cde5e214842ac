package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobLocationsTest {
    @TempDir
    Path dir;

    private static Digest d(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(Digest digest) {
        return dir.resolve("blob-locations").resolve("reg.example_5000").resolve(BlobLocations.shardName(digest) + ".json");
    }

    /** {@code n} digests whose files are the same one (their hashes' first two hex digits are equal). */
    private static List<Digest> sameShard(int n) {
        List<Digest> out = new java.util.ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            Digest x = d("blob " + i);
            if (BlobLocations.shardName(x).equals("00")) {
                out.add(x);
            }
        }
        return out;
    }

    @Test
    void whatARunLearnsIsKeptAndMergedForTheNext() {
        BlobLocations first = BlobLocations.load(dir, "reg.example:5000");
        first.add(d("a"), "app");
        first.add(d("b"), "app");
        first.save();
        BlobLocations second = BlobLocations.load(dir, "reg.example:5000");
        assertThat(second.repositoriesWith(d("a"))).containsExactly("app");
        second.add(d("a"), "other");
        second.save();
        assertThat(BlobLocations.load(dir, "reg.example:5000").repositoriesWith(d("a"))).containsExactly("other", "app");
        assertThat(BlobLocations.load(dir, "other:1").repositoriesWith(d("a"))).isEmpty();
    }

    @Test
    void aRunThatLearnsNothingNewLeavesTheFileAlone() throws Exception {
        BlobLocations first = BlobLocations.load(dir, "reg.example:5000");
        first.add(d("a"), "app");
        first.add(d("b"), "app");
        first.save();
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(file(d("a")), old);
        Files.setLastModifiedTime(file(d("b")), old);
        // an unchanged re-push: every blob already known in the same repository first
        BlobLocations again = BlobLocations.load(dir, "reg.example:5000");
        again.add(d("a"), "app");
        again.add(d("b"), "app");
        again.save();
        assertThat(Files.getLastModifiedTime(file(d("a")))).isEqualTo(old);
        assertThat(Files.getLastModifiedTime(file(d("b")))).isEqualTo(old);
        // a blob seen in a second repository is news: its file is written (and only its, where they differ)
        again.add(d("b"), "other");
        again.save();
        assertThat(Files.getLastModifiedTime(file(d("b")))).isNotEqualTo(old);
        if (!file(d("a")).equals(file(d("b")))) {
            assertThat(Files.getLastModifiedTime(file(d("a")))).isEqualTo(old);
        }
        assertThat(BlobLocations.load(dir, "reg.example:5000").repositoriesWith(d("b"))).isEqualTo(List.of("other", "app"));
    }

    @Test
    void eachFileKeepsItsNewestBlobsUpToItsShareOfTheBound() {
        List<Digest> blobs = sameShard(BlobLocations.MAX_BLOBS_PER_SHARD + 10);
        BlobLocations first = BlobLocations.load(dir, "reg.example:5000");
        blobs.forEach(b -> first.add(b, "app"));
        first.save();
        BlobLocations again = BlobLocations.load(dir, "reg.example:5000");
        for (int i = 0; i < blobs.size(); i++) {
            assertThat(again.repositoriesWith(blobs.get(i))).as("blob %d", i).isEqualTo(i < 10 ? List.of() : List.of("app"));
        }
        assertThat(BlobLocations.MAX_BLOBS_PER_SHARD * BlobLocations.SHARDS).isLessThanOrEqualTo(BlobLocations.MAX_BLOBS);
    }

    @Test
    void aDamagedFileLosesOnlyItsOwnBlobsAndTheOldSingleFileGoes() throws Exception {
        BlobLocations first = BlobLocations.load(dir, "reg.example:5000");
        Digest a = d("a");
        Digest other = sameShard(1).get(0);
        first.add(a, "app");
        first.add(other, "app");
        first.save();
        Path old = dir.resolve("blob-locations").resolve("reg.example_5000.json");
        Files.writeString(old, "{}");
        Files.writeString(file(other), "{ not json");
        BlobLocations again = BlobLocations.load(dir, "reg.example:5000");
        assertThat(again.repositoriesWith(other)).isEmpty();
        assertThat(again.repositoriesWith(a)).containsExactly("app");
        again.add(other, "app");
        again.save();
        assertThat(BlobLocations.load(dir, "reg.example:5000").repositoriesWith(other)).containsExactly("app");
        assertThat(old).doesNotExist();
    }
}
