package dev.distrolix.transport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer at a time per OCI layout: an exclusive lock on {@code <layout>/.distrolix.lock}
 * (between processes) and a lock per layout path (between threads of one JVM, which file locks do
 * not separate). Held for the whole write, not only index.json's read-modify-write, because a
 * failed write removes the blobs it placed, which a concurrent writer may have just decided to
 * reuse.
 *
 * <p>The lock file stays in the layout (image tools ignore files they do not know), except when
 * the write that created it fails and undoes what it created; a writer that was waiting then finds
 * its lock file gone, and starts over with a new one.
 */
final class LayoutLock implements AutoCloseable {
    static final String FILE = ".distrolix.lock";
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private static final int ATTEMPTS = 20;

    private final ReentrantLock jvm;
    private final FileChannel channel;
    private final FileLock lock;

    private LayoutLock(ReentrantLock jvm, FileChannel channel, FileLock lock) {
        this.jvm = jvm;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the missing folders of {@code root} (recorded in {@code rollback}, with the lock
     * file when the layout folder is new) and locks the layout; blocks while another writer holds it.
     */
    static LayoutLock acquire(Path root, OutputFiles.Rollback rollback) throws IOException {
        ReentrantLock jvm = IN_JVM.computeIfAbsent(root, r -> new ReentrantLock());
        jvm.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                rollback.createDirectories(root);
                Path file = root.resolve(FILE);
                FileChannel ch;
                try {
                    try {
                        ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        // ours: a failed write removes it (before the folder, if that is ours too)
                        rollback.created(file);
                    } catch (FileAlreadyExistsException exists) {
                        ch = FileChannel.open(file, StandardOpenOption.WRITE);
                    }
                } catch (NoSuchFileException gone) {
                    if (attempt < ATTEMPTS) {
                        continue; // the folder or file went between our mkdir and open: a failed writer's rollback
                    }
                    throw gone;
                }
                Object key = fileKey(file);
                FileLock held;
                try {
                    held = ch.lock();
                } catch (IOException noLocks) {
                    // a file system without locks (some network mounts): write as skopeo does, unlocked
                    return new LayoutLock(jvm, ch, null);
                }
                if (key != null && Objects.equals(key, fileKey(file))) {
                    return new LayoutLock(jvm, ch, held);
                }
                ch.close(); // we waited on a lock file its writer's rollback removed: lock the new one
                if (attempt >= ATTEMPTS) {
                    throw new ImageOutputException("cannot lock " + file + ": it keeps being replaced");
                }
            }
        } catch (IOException | RuntimeException e) {
            jvm.unlock();
            throw e;
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock != null) {
                lock.release();
            }
        } finally {
            try {
                channel.close();
            } finally {
                jvm.unlock();
            }
        }
    }
}
