package dev.distrolix.tar;

import java.util.function.IntFunction;

/**
 * Each thread's deflate stream at each level (0-9), opened on first use and kept: what each zlib's
 * {@link BlockDeflater} path (the JDK's {@code Deflater}, the JNI library's and the foreign function API's
 * z_streams) holds per executor thread, reset before each block (as pigz does with deflateReset).
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
