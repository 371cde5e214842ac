package dev.distrolix.registry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The overall time a command may spend talking to registries ({@code --timeout}): the clock starts
 * at the first registry request that asks for it (not when the settings are made, so a long Nix
 * build before a push does not use it up), and is shared by every copy of the settings that carries
 * this instance — so by every client, request and retry of one command.
 */
public final class Deadline {
    /** No overall limit. */
    public static final Deadline NONE = new Deadline(null);

    private final Duration total;
    private final AtomicLong start = new AtomicLong(Long.MIN_VALUE);

    private Deadline(Duration total) {
        this.total = total;
    }

    /** {@code total} from the first request on; null or zero for no limit. */
    public static Deadline of(Duration total) {
        if (total == null || total.isZero()) {
            return NONE;
        }
        if (total.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + total);
        }
        return new Deadline(total);
    }

    /** The limit, or null for none. */
    public Duration total() {
        return total;
    }

    /** Nanoseconds left (starting the clock on the first call); Long.MAX_VALUE without a limit. */
    long remainingNanos() {
        if (total == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        start.compareAndSet(Long.MIN_VALUE, now);
        return total.toNanos() - (now - start.get());
    }

    /** Whether waiting {@code d} more would pass the deadline. */
    boolean wouldPass(Duration d) {
        return total != null && d.toNanos() >= remainingNanos();
    }

    /** "the --timeout of 10 min". */
    String describe() {
        return "the --timeout of " + Http.text(total);
    }

    @Override
    public String toString() {
        return total == null ? "Deadline[none]" : "Deadline[" + Http.text(total) + "]";
    }
}
