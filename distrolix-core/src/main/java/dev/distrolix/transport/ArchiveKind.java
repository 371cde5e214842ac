package dev.distrolix.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Tells a docker-archive (has manifest.json) from an oci-archive by its member names. */
final class ArchiveKind {
    private ArchiveKind() {}

    static boolean isDockerArchive(Path file) {
        try (InputStream in = Files.newInputStream(file); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String n = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (n.equals("manifest.json")) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // the OCI reader reports what is wrong with it
        }
        return false;
    }
}
