package dev.distrolix.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The files of a stored image (an OCI layout directory, or the members of an archive), by relative
 * path such as {@code index.json} or {@code blobs/sha256/<hex>}. Readers never see the host paths,
 * so nothing in an image can make them open a file outside it.
 */
public interface ImageFiles extends Closeable {
    /** Whether the file exists (a regular file, not a directory). */
    boolean exists(String path);

    /** The file's size in bytes, or -1 if it does not exist. */
    long size(String path);

    /**
     * Says that {@link #exists} and {@link #size} of {@code paths} come next, so that files a server holds can be
     * asked for all at once instead of one after another. A hint: nothing is thrown, whatever the answers.
     */
    default void willAsk(java.util.List<String> paths) {}

    /** Opens the file; a missing file is a {@link java.nio.file.NoSuchFileException}. */
    InputStream open(String path) throws IOException;

    /**
     * The whole file, for small JSON documents; anything over {@code limit} bytes is refused
     * before a byte of it is read (an {@link dev.distrolix.InputException}: the image is bad).
     */
    default byte[] readSmall(String path, int limit) throws IOException {
        long size = size(path);
        if (size > limit) {
            throw tooLarge(path, size, limit);
        }
        try (InputStream in = open(path)) {
            return in.readNBytes(limit);
        }
    }

    /** The error for a JSON document over its limit. */
    static dev.distrolix.InputException tooLarge(String path, long size, int limit) {
        return new dev.distrolix.InputException(path + " is " + size + " bytes, more than the " + limit
                + " a JSON document may have");
    }

    /** Normalizes an archive member or relative path: no leading "./" or "/", no "..". */
    static String normalize(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new dev.distrolix.InputException("path '" + path + "' leaves the image");
            }
        }
        return p;
    }
}
