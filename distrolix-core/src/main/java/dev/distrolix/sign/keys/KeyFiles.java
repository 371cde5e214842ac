package dev.distrolix.sign.keys;

import dev.distrolix.FailureException;
import dev.distrolix.InputException;
import dev.distrolix.TempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Bounded reading and whole-or-nothing writing of key files. */
final class KeyFiles {
    /** rw------- : what cosign gives a private key. */
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r-- : a public key is for sharing. */
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {}

    /** The bytes of a key file, refusing anything larger than {@link Pem#MAX_BYTES} before reading it. */
    static byte[] read(Path path) {
        String source = path.toString();
        try {
            if (Files.isRegularFile(path)) {
                Pem.checkSize(source, Files.size(path));
            }
            try (InputStream in = Files.newInputStream(path)) {
                // a pipe or a file that grew since: still bounded
                byte[] content = in.readNBytes(Pem.MAX_BYTES + 1);
                Pem.checkSize(source, content.length);
                return content;
            }
        } catch (NoSuchFileException e) {
            throw new InputException(source + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(source + ": permission denied");
        } catch (IOException e) {
            throw new InputException(source + ": cannot read (" + reason(e) + ")");
        }
    }

    /** Refuses an existing target unless {@code force}: checked before costly work, and again on write. */
    static void checkNotExisting(Path target, boolean force) {
        if (!force && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(target + ": already exists (not replaced unless forced)");
        }
    }

    /**
     * Writes {@code content} to {@code target} with {@code mode}: into a temp file beside it, created owner-only
     * and then given that mode (a private key is never readable by others, not even for a moment) and synced, then
     * renamed over the target, so that a reader or a crash sees the old file or the new one, never half.
     * Without {@code force} an existing target is refused; the check and the rename are two steps, so
     * two writers racing for one new name may both pass (the last rename wins, each file whole).
     */
    static void write(Path target, byte[] content, Set<PosixFilePermission> mode, boolean force) {
        checkNotExisting(target, force);
        Path temp = null;
        try {
            temp = TempFiles.createBeside(target); // owner-only
            Files.setPosixFilePermissions(temp, mode); // and then exactly the key's mode, whatever the umask
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            checkNotExisting(target, force);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (UnsupportedOperationException e) {
            throw new FailureException("cannot write " + target + ": its file system has no POSIX file modes");
        } catch (IOException e) {
            throw new FailureException("cannot write " + target + ": " + reason(e));
        } finally {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // a leftover temp is swept by TempFiles.sweep once this process is gone
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
