package dev.distrolix.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds share a cache, prune needs it alone. File locks do that between processes, but Java
 * refuses two overlapping locks in one JVM, so builds in one JVM share one shared file lock
 * (reference-counted) and prune waits until none is held.
 */
final class CacheLock implements AutoCloseable {
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private final boolean exclusive;
    private boolean closed;

    private record Held(FileChannel channel, FileLock lock, int count) {}

    private CacheLock(Path file, boolean exclusive) {
        this.file = file;
        this.exclusive = exclusive;
    }

    static CacheLock shared(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h == null) {
                FileChannel ch = open(key);
                HELD.put(key, new Held(ch, ch.lock(0, Long.MAX_VALUE, true), 1));
            } else {
                HELD.put(key, new Held(h.channel(), h.lock(), h.count() + 1));
            }
        }
        return new CacheLock(key, false);
    }

    static CacheLock exclusive(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        synchronized (HELD) {
            while (HELD.containsKey(key)) {
                try {
                    HELD.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the cache lock");
                }
            }
            FileChannel ch = open(key);
            HELD.put(key, new Held(ch, ch.lock(0, Long.MAX_VALUE, false), 1));
        }
        return new CacheLock(key, true);
    }

    private static FileChannel open(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held h = HELD.get(file);
            if (exclusive || h.count() == 1) {
                HELD.remove(file);
                try {
                    h.lock().release();
                } finally {
                    h.channel().close();
                    HELD.notifyAll();
                }
            } else {
                HELD.put(file, new Held(h.channel(), h.lock(), h.count() - 1));
            }
        }
    }
}
