package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The marker bin/distrolix names after a failed recording run is removed by a run that runs through, and only it. */
class RanThroughTest {
    @TempDir
    Path tmp;

    @Test
    void onlyAMarkerNamedFailedIsRemoved() throws Exception {
        Path marker = Files.createFile(tmp.resolve("distrolix-inspect.aot.failed"));
        Path other = Files.createFile(tmp.resolve("distrolix-inspect.aot"));
        Distrolix.ranThrough(other.toString());
        assertThat(other).exists();
        Distrolix.ranThrough(null);
        Distrolix.ranThrough(tmp.resolve("gone.failed").toString()); // already removed: nothing to do
        assertThat(marker).exists();
        Distrolix.ranThrough(marker.toString());
        assertThat(marker).doesNotExist();
        assertThat(other).exists();
    }
}
