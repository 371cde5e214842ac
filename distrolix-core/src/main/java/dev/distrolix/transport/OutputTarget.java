package dev.distrolix.transport;

import dev.distrolix.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a file the user names as an output goes. A regular file (or none yet) is replaced atomically, by a temp file
 * renamed over it; named through a symbolic link, the file the link names is, and the link stays (as a shell's
 * {@code >} would). A character device or a pipe ({@code /dev/null}, {@code /dev/stdout}, a FIFO) is written into as
 * a stream: a rename over it would replace the device node itself (run as root, {@code -o oci-archive:/dev/null}
 * made {@code /dev/null} a regular file). A block device, a socket and a link to nothing are refused.
 *
 * @param path   the file to replace, or the device or pipe to open
 * @param stream whether {@code path} is written into rather than replaced
 */
public record OutputTarget(Path path, boolean stream) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    /** Where output named {@code file} goes; {@code what} names it in a refusal ("--digest-file", "the output"). */
    public static OutputTarget of(Path file, String what) throws IOException {
        Path p = file.toAbsolutePath().normalize();
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return new OutputTarget(p, false);
        }
        int type;
        try {
            type = (Integer) Files.getAttribute(p, "unix:mode") & S_IFMT; // follows links (also /proc/self/fd/N)
        } catch (NoSuchFileException dangling) {
            throw new InputException("cannot write " + what + " " + file + ": it is a symbolic link to nothing");
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            return new OutputTarget(p, false);
        }
        switch (type) {
            case S_IFREG:
                if (Files.isSymbolicLink(p)) {
                    try {
                        return new OutputTarget(p.toRealPath(), false);
                    } catch (IOException noPath) {
                        return new OutputTarget(p, true); // e.g. /proc/self/fd/1 to a file that has no name left
                    }
                }
                return new OutputTarget(p, false);
            case S_IFDIR:
                return new OutputTarget(p, false); // each writer says what it does with a folder
            case S_IFCHR:
            case S_IFIFO:
                return new OutputTarget(p, true);
            case S_IFBLK:
                throw new InputException("cannot write " + what + " " + file + ": it is a block device");
            case S_IFSOCK:
                throw new InputException("cannot write " + what + " " + file + ": it is a socket");
            default:
                throw new InputException("cannot write " + what + " " + file + ": it is not a file");
        }
    }

    /** Opens the device or pipe ({@link #stream()}) for writing, as a shell's {@code >} opens it. */
    public OutputStream openStream() throws IOException {
        return Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
