package dev.distrolix.transport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a set of files as a byte-stable tar: entries in path order with their parent
 * directories first, every header field fixed (mtime 1 s, uid/gid 0, root/root, 0644 files,
 * 0755 dirs), PAX only where ustar cannot hold a value (blobs over 8 GiB), 512-byte records.
 * Nothing about the host or the moment of writing reaches the bytes.
 */
final class ArchiveTar {
    /** 1970-01-01T00:00:01Z — the same fixed instant the layers and dockerTools use. */
    static final long MTIME_MILLIS = 1000L;

    private ArchiveTar() {}

    static void write(SortedMap<String, Content> files, OutputStream out) throws IOException {
        SortedMap<String, Content> all = withParents(files);
        // The tar stream must not close the caller's stream: the caller owns fsync and close.
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (Map.Entry<String, Content> e : all.entrySet()) {
            TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
            entry.setIds(0, 0);
            // set explicitly: the default user name is the JVM's user.name
            entry.setNames("root", "root");
            entry.setModTime(MTIME_MILLIS);
            Content content = e.getValue();
            if (content == null) {
                entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE); // 040755
                tar.putArchiveEntry(entry);
            } else {
                entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE); // 0100644
                entry.setSize(content.size());
                tar.putArchiveEntry(entry);
                content.writeTo(tar);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.close();
    }

    /** Adds "a/" and "a/b/" before "a/b/c"; a null value marks a directory. */
    private static SortedMap<String, Content> withParents(SortedMap<String, Content> files) {
        SortedMap<String, Content> all = new TreeMap<>(files);
        for (String path : files.keySet()) {
            for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
                all.put(path.substring(0, i + 1), null);
            }
        }
        return all;
    }
}
