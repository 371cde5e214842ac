package dev.distrolix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small file a person or a tool left for us (a lock, a policy, credentials), read whole: never more than its bound
 * in memory, and never a pipe or a device, whose open or read could wait forever or never end.
 */
public final class SmallFiles {
    private SmallFiles() {
    }

    /**
     * The bytes of {@code file}, which holds {@code what} (for messages: "a lock"). A missing file is a
     * {@link java.nio.file.NoSuchFileException}; a file that is not a regular one, or is larger than {@code max} bytes, an
     * {@link InputException} naming it, nothing of it read past the bound.
     */
    public static byte[] read(Path file, int max, String what) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new InputException(file + ": not a regular file" + (Files.isDirectory(file) ? " (a folder)" : "")
                    + "; " + what + " is read from a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new InputException(file + ": larger than " + size(max) + "; " + what + " is never that large");
        }
        return bytes;
    }

    private static String size(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
