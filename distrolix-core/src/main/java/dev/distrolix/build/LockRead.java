package dev.distrolix.build;

import dev.distrolix.Background;
import java.io.IOException;
import java.util.List;

/**
 * The read of the lock beside a build's spec ({@link LockedInputs#forBuild}), on a thread of its own while the spec
 * loads: the run's first JSON parse and SHA-256 (20-50 ms in a fresh JVM) no longer precede the spec's. Joined once,
 * before the spec is reported loaded, so that its notices and errors come where they did when it was read first;
 * what it found is closed with the build.
 */
final class LockRead implements AutoCloseable {
    /** The lock found (null: none), and what finding it had to say (said by the build, in order, when joined). */
    record Found(LockedInputs lock, List<String> notices) {}

    /** The read itself: {@link LockedInputs#forBuild}, its notices collected. */
    interface Read {
        Found read() throws IOException;
    }

    private final Background<Found> read;
    private Found found;

    private LockRead(Background<Found> read) {
        this.read = read;
    }

    /** {@code read} started on its own thread. */
    static LockRead start(Read read) {
        return new LockRead(Background.start("distrolix-lock", read::read));
    }

    /** {@code read} run on this thread, now: its errors are thrown here (a spec on stdin: nothing to read). */
    static LockRead now(Read read) throws IOException {
        LockRead r = new LockRead(null);
        r.found = read.read();
        return r;
    }

    /** What the read found, or exactly what it threw. */
    Found join() throws IOException {
        if (found == null) {
            found = read.join();
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        try {
            join(); // no network: the files' read ends soon, and what it opened is closed here
        } catch (IOException | RuntimeException reportedOrNotNeeded) {
            return;
        } finally {
            if (read != null) {
                read.cancel();
            }
        }
        if (found.lock() != null) {
            found.lock().close();
        }
    }
}
