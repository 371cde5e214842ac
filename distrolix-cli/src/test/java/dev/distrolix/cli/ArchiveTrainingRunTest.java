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

    /**
     * A recording build that made no layer leaves the marker {@code bin/distrolix} named (so that the next run of
     * its kind records again); one that made a layer, another command, or a marker not named {@code *.partial}
     * leaves nothing.
     */
    @Test
    void aBuildThatMadeNoLayerLeavesThePartialMarker(@TempDir Path tmp) {
        Path marker = tmp.resolve("distrolix-push.aot.partial");
        boolean before = BuildCommand.madeNoLayer;
        try {
            BuildCommand.madeNoLayer = false;
            assertThat(Distrolix.markPartial(marker.toString(), "build", "a.yaml")).isFalse();
            assertThat(marker).doesNotExist();
            BuildCommand.madeNoLayer = true;
            assertThat(Distrolix.markPartial(null, "build", "a.yaml")).isFalse();
            assertThat(Distrolix.markPartial(marker.toString(), "inspect", "oci:a")).isFalse();
            assertThat(Distrolix.markPartial(tmp.resolve("other").toString(), "build", "a.yaml")).isFalse();
            assertThat(tmp.resolve("other")).doesNotExist();
            assertThat(marker).doesNotExist();
            assertThat(Distrolix.markPartial(marker.toString(), "build", "a.yaml")).isTrue();
            assertThat(marker).exists();
        } finally {
            BuildCommand.madeNoLayer = before;
        }
    }
}
