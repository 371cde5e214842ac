package dev.distrolix.copy;

import dev.distrolix.InputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an image archive (oci-archive, docker-archive) into a temp folder: regular files and
 * folders only, and no name may leave the folder (no absolute paths, no "..").
 */
final class ArchiveUnpacker {
    private ArchiveUnpacker() {}

    static Path unpack(Path archive, String describe) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(archive);
        } catch (NoSuchFileException e) {
            throw new InputException(describe + ": no such file");
        }
        Path dir = TempFiles.createDir("distrolix-copy-");
        try (InputStream in = new BufferedInputStream(raw, 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            boolean any = false;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                any = true;
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir) || e.getName().startsWith("/")) {
                    throw new InputException(describe + " has an entry outside the archive: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
                // links and devices have no place in an image archive: ignored
            }
            if (!any) {
                throw new InputException(describe + " is not a tar archive (or is empty)");
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dev.distrolix.FileTrees.deleteTree(dir);
            if (e instanceof InputException || !(e instanceof IOException)) {
                throw e;
            }
            throw new InputException(describe + " is not a readable tar archive: " + e.getMessage(), e);
        }
    }
}
