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
 * renamed over it; named through a symbolic link, the file the link names is (a new file in that file's folder), and
 * the link stays. A character device or a pipe ({@code /dev/null}, a FIFO), and anything named through
 * {@code /proc} ({@code /dev/stdout}, {@code /dev/fd/N}: a descriptor of this process, whatever it is open on), is
 * written into as a stream, appended to: a rename over it would replace the device node itself (run as root,
 * {@code -o oci-archive:/dev/null} made {@code /dev/null} a regular file), or the file a shell's {@code >} or
 * {@code >>} opened. A block device, a socket and a link to nothing are refused.
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
        try {
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
                    if (throughProc(p)) {
                        return new OutputTarget(p, true); // a descriptor's file (stdout to a file): appended to
                    }
                    return new OutputTarget(Files.isSymbolicLink(p) ? p.toRealPath() : p, false);
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
        } catch (java.nio.file.FileSystemException e) { // a link loop, a folder that cannot be searched
            throw new InputException("cannot write " + what + " " + file + ": " + (e.getReason() != null ? e.getReason()
                    : e.getClass().getSimpleName()), e);
        }
    }

    /** Whether {@code p} is, or leads by symbolic links to, a name under {@code /proc} or {@code /dev/fd} (40 links at most). */
    static boolean throughProc(Path p) throws IOException {
        Path at = p;
        for (int i = 0; i < 40; i++) {
            if (at.startsWith("/proc") || at.startsWith("/dev/fd")) {
                return true;
            }
            if (!Files.isSymbolicLink(at)) {
                return false;
            }
            Path parent = at.getParent();
            Path target = Files.readSymbolicLink(at);
            at = (parent == null ? target : parent.resolve(target)).normalize();
        }
        return false;
    }

    /**
     * Whether {@code file} is where this process's standard output goes (the same file, pipe or terminal, however
     * named): a command writing its output there keeps its report off it.
     */
    public static boolean isStandardOutput(Path file) {
        try {
            Object out = Files.readAttributes(Path.of("/proc/self/fd/1"), java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
            Object named = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return out != null && out.equals(named);
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    /** Opens the device, pipe or descriptor ({@link #stream()}) for writing, appending (as a shell's {@code >>}). */
    public OutputStream openStream() throws IOException {
        return Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
}
