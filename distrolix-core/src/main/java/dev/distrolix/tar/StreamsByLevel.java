package dev.distrolix.tar;

import java.util.function.IntFunction;

/**
 * Each thread's deflate stream at each level (0-9), opened on first use and kept: what a {@link BlockDeflater}
 * over the system's zlib holds per executor thread, as the JDK's path keeps a {@code Deflater} per thread.
 */
final class StreamsByLevel<S> {
    private final IntFunction<S> open;
    private final ThreadLocal<Object[]> streams = ThreadLocal.withInitial(() -> new Object[10]);

    StreamsByLevel(IntFunction<S> open) {
        this.open = open;
    }

    /** This thread's stream at {@code level}, opened now if it has none. */
    @SuppressWarnings("unchecked")
    S get(int level) {
        Object[] byLevel = streams.get();
        Object s = byLevel[level];
        if (s == null) {
            s = byLevel[level] = open.apply(level);
        }
        return (S) s;
    }
}
