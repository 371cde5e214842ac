package dev.distrolix.transport;

import dev.distrolix.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Tells a docker-archive (has manifest.json) from an oci-archive by its member names. */
final class ArchiveKind {
    private ArchiveKind() {}

    static boolean isDockerArchive(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            TarIndex index = TarIndex.scan(file.toString(), ch);
            return index.files.keySet().stream().map(ArchiveKind::strip).anyMatch("manifest.json"::equals)
                    || index.links.keySet().stream().map(ArchiveKind::strip).anyMatch("manifest.json"::equals);
        } catch (IOException | InputException e) {
            return false; // the OCI reader reports what is wrong with it
        }
    }

    private static String strip(String n) {
        String s = n;
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        return s;
    }
}
