package dev.distrolix.registry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this run learnt of registries in the last {@code fresh} (see {@link Pings}, {@link TagReads}): a value is given
 * back for its key until it is that old. Bounded: past {@code max} keys the stale ones are dropped, then all.
 */
final class Recent<K, V> {
    private record Entry<V>(V value, long atNanos) {}

    private final long freshNanos;
    private final int max;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    Recent(Duration fresh, int max) {
        this.freshNanos = fresh.toNanos();
        this.max = max;
    }

    /** The value for {@code key} if it was put less than {@code fresh} before {@code nowNanos}, or null. */
    V get(K key, long nowNanos) {
        Entry<V> e = entries.get(key);
        return e != null && nowNanos - e.atNanos() < freshNanos ? e.value() : null;
    }

    void put(K key, V value, long nowNanos) {
        if (entries.size() >= max) {
            entries.values().removeIf(e -> nowNanos - e.atNanos() >= freshNanos);
            if (entries.size() >= max) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, nowNanos));
    }
}
