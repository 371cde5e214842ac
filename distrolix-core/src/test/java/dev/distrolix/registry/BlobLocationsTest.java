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

    private Path file() {
        return dir.resolve("blob-locations").resolve("reg.example_5000.json");
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
        Files.setLastModifiedTime(file(), old);
        // an unchanged re-push: every blob already known in the same repository first
        BlobLocations again = BlobLocations.load(dir, "reg.example:5000");
        again.add(d("a"), "app");
        again.add(d("b"), "app");
        again.save();
        assertThat(Files.getLastModifiedTime(file())).isEqualTo(old);
        // a blob seen in a second repository is news: the file is written
        again.add(d("b"), "other");
        again.save();
        assertThat(Files.getLastModifiedTime(file())).isNotEqualTo(old);
        assertThat(BlobLocations.load(dir, "reg.example:5000").repositoriesWith(d("b"))).isEqualTo(List.of("other", "app"));
    }
}
