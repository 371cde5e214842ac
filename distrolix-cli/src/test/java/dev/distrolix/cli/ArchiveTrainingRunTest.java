package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording run's training (bin/distrolix names it): after commands that read specs only, leaving nothing behind. */
class ArchiveTrainingRunTest {
    @Test
    void specCommandsTrainInATempFolderTheyRemove(@TempDir Path tmp) throws Exception {
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            assertThat(Distrolix.trainArchive("build", "a.yaml")).isTrue();
            assertThat(Distrolix.trainArchive("lock", "a.yaml")).isTrue();
            assertThat(Distrolix.trainArchive("inspect", "oci:a")).isFalse();
            assertThat(Distrolix.trainArchive()).isFalse();
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).isEmpty();
            }
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }
}
