package dev.distrolix.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temp folders of a copy (unpacked archives, downloaded blobs), removed when it ends. */
final class TempFiles {
    private TempFiles() {}

    static Path createDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        dir.toFile().deleteOnExit();
        return dir;
    }

}
