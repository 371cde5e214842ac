package dev.distrolix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A file's identity as the file system states it: its key (device and inode), size and modification time, in
 * nanoseconds. Equal identities mean the same, unchanged file without reading it (a cached blob, a key file, a jar).
 */
public final class FileIdentity {
    private FileIdentity() {}

    /** {@code file}'s identity (links followed); the layer cache records it, so its form stays as it is. */
    public static String of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() + ":" + a.size() + ":" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    /** {@link #of}, or null where the file cannot be read (absent, say). */
    public static String orNull(Path file) {
        try {
            return file == null ? null : of(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
