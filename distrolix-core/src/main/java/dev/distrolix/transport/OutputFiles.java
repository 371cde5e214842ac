package dev.distrolix.transport;

import dev.distrolix.TempFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * File-system moves shared by the writers. The rule they implement: a reader sees either the
 * old output or the complete new one. New content goes to a temp file next to its final name
 * (same directory, so same file system), is fsynced, then renamed over it atomically; anything
 * a failed write created is removed again ({@link Rollback}). A device or a pipe is written into instead
 * ({@link OutputTarget}).
 */
final class OutputFiles {
    private OutputFiles() {}

    /** Writes bytes to an open stream; the stream is the temp file or a pipe. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Remembers files and directories a write created, to delete them (newest first) on failure; thread-safe. */
    static final class Rollback {
        private final List<Path> created = new ArrayList<>();

        synchronized void created(Path p) {
            created.add(p);
        }

        /** Creates the missing directories of {@code dir}, remembering each one. */
        synchronized void createDirectories(Path dir) throws IOException {
            List<Path> missing = new ArrayList<>();
            for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                missing.add(0, p);
            }
            for (Path p : missing) {
                Files.createDirectory(p);
                created(p);
            }
            if (!Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toString());
            }
        }

        /** Best effort: the original error matters more than a failed cleanup. */
        synchronized void undo() {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(created.get(i));
                } catch (IOException ignored) {
                    // a directory that is not empty was not only ours; leave it
                }
            }
            created.clear();
        }

        synchronized void forget() {
            created.clear();
        }
    }

    /**
     * Writes {@code file} atomically: temp file {@code .FILE.tmp-PID-NNNN} in the same folder, fsync,
     * rename over FILE. On failure neither the temp file nor a directory we created remains,
     * and an existing FILE is untouched. Temp files that killed runs left in the folder go first.
     */
    static void writeAtomically(Path file, Body body) throws IOException {
        OutputTarget named = OutputTarget.of(file, "the output");
        if (named.stream()) { // a device or a pipe: written into, never replaced ({@link OutputTarget})
            try (OutputStream out = new BufferedOutputStream(named.openStream(), 1 << 16)) {
                body.writeTo(out);
            } catch (IOException | RuntimeException e) {
                throw translate(e, named.path());
            }
            return;
        }
        Path target = named.path();
        Path dir = target.getParent();
        Rollback rollback = new Rollback();
        try {
            if (Files.isDirectory(target)) {
                throw new ImageOutputException("cannot write " + file + ": it is a directory");
            }
            rollback.createDirectories(dir);
            TempFiles.sweep(dir);
            Path temp = createTemp(target);
            rollback.created(temp);
            writeAndSync(temp, body);
            commit(temp, target);
            rollback.forget();
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            rollback.undo();
            throw translate(e, dir);
        }
    }

    /**
     * An empty temp file next to {@code target}, named {@code .<name>.tmp-<pid>-<random>}. It is also
     * registered for deletion at JVM exit, so Ctrl-C (which skips our catch blocks but runs
     * shutdown hooks) leaves no temp file either; after the rename that path no longer exists.
     * What a SIGKILL leaves, {@link TempFiles#sweep} removes on the next write to that folder.
     */
    static Path createTemp(Path target) throws IOException {
        Path temp = TempFiles.createBeside(target);
        temp.toFile().deleteOnExit();
        return temp;
    }

    /** As {@link #createTemp}, a hard link to {@code existing} instead of an empty file. */
    static Path linkTemp(Path target, Path existing) throws IOException {
        Path link = TempFiles.linkBeside(target, existing);
        link.toFile().deleteOnExit();
        return link;
    }

    static void writeAndSync(Path temp, Body body) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            body.writeTo(out);
            out.flush();
            ch.force(true);
        }
    }

    /** fsync of a file written before (a hard link's data): it is on disk before it is renamed into place. */
    static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Makes the temp file world-readable (temp files start as 0600) and renames it into place. */
    static void commit(Path temp, Path target) throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** fsync a directory so completed renames survive a crash; not all systems allow it. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // durability nicety only; the rename itself already happened atomically
        }
    }

    /**
     * Turns a low-level failure into one line about the output folder. Our own messages
     * (e.g. about a missing layer blob) pass through unchanged.
     */
    static ImageOutputException translate(Exception e, Path dir) {
        if (e instanceof ImageOutputException ioe) {
            return ioe;
        }
        String reason = reason(e);
        if (reason != null) {
            return new ImageOutputException("cannot write to " + dir + ": " + reason, e);
        }
        return new ImageOutputException("cannot write to " + dir + ": " + oneLine(e), e);
    }

    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException || e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a part of the path is not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String msg = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (msg == null) {
            return null;
        }
        if (msg.contains("Operation not permitted") || msg.contains("Permission denied")) {
            return "permission denied"; // EPERM: immutable folder (chattr +i), also for root
        }
        if (msg.contains("Read-only file system")) {
            return "read-only file system";
        }
        if (msg.contains("No space left on device") || msg.contains("Disk quota exceeded")) {
            return "no space left on device";
        }
        if (msg.contains("Not a directory")) {
            return "a part of the path is not a directory";
        }
        return null;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*\\R\\s*", "; ").trim();
    }
}
