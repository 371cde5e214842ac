package dev.distrolix.transport;

import dev.distrolix.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The members of an uncompressed tar (oci-archive, docker-archive) with random access: the
 * archive's headers are indexed once and each member is read in place, so a 1 GB archive is
 * never unpacked or held in memory.
 */
final class TarArchiveFiles implements ImageFiles {
    private final Path file;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> members = new HashMap<>();

    TarArchiveFiles(Path file, String what) {
        this.file = file;
        try {
            this.tar = new TarFile(file);
        } catch (IOException | RuntimeException e) {
            throw new InputException(what + ": not a readable tar archive (" + oneLine(e) + ")", e);
        }
        for (TarArchiveEntry e : tar.getEntries()) {
            if (e.isFile()) {
                try {
                    members.put(ImageFiles.normalize(e.getName()), e);
                } catch (InputException bad) {
                    close();
                    throw new InputException(what + ": archive member '" + e.getName() + "' leaves the archive (..)");
                }
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public boolean exists(String path) {
        return members.containsKey(ImageFiles.normalize(path));
    }

    @Override
    public long size(String path) {
        TarArchiveEntry e = members.get(ImageFiles.normalize(path));
        return e == null ? -1 : e.getSize();
    }

    @Override
    public InputStream open(String path) throws IOException {
        TarArchiveEntry e = members.get(ImageFiles.normalize(path));
        if (e == null) {
            throw new NoSuchFileException(path);
        }
        return tar.getInputStream(e);
    }

    @Override
    public void close() {
        try {
            tar.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
