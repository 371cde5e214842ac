package dev.distrolix.nix;

import dev.distrolix.Background;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A build's evaluations started before it knows it needs them: those the last build of the same spec bytes ran
 * ({@link EvaluationRecords}), started as the build starts, so that Nix evaluates while the JVM reads the spec and
 * the lock (~30 ms of an edit + push's ~0.2 s). An evaluation the build then asks for with the same arguments takes
 * the started one's answer ({@link NixCli#withEarlyEvaluations}); any other runs as it always did. What the build
 * evaluated is recorded for the next ({@link #record}).
 *
 * <p>An evaluation started and never taken is left to end, never killed (unless the build is interrupted, or its JVM
 * exits first: {@link ProcessRunner} then asks it to end, and kills it a second later): a
 * {@code nix-instantiate} opens Nix's database, and one killed can leave its write-ahead log beside it, which the
 * {@link ClosureRecords} would take for a change ({@link #settle}, {@link #close}).
 */
public final class EarlyEvaluations implements AutoCloseable {
    private static final EarlyEvaluations NONE = new EarlyEvaluations(EvaluationRecords.Slot.NONE, List.of());

    private final EvaluationRecords.Slot slot;
    private final List<List<String>> recorded;
    /** Started and not yet taken, by their arguments. */
    private final Map<List<String>, Background<ProcessRunner.Result>> started = new HashMap<>();
    /** The arguments of each evaluation this build ran (or took) and Nix answered, in order. */
    private final List<List<String>> asked = new ArrayList<>();
    private int taken;

    private EarlyEvaluations(EvaluationRecords.Slot slot, List<List<String>> recorded) {
        this.slot = slot;
        this.recorded = recorded;
    }

    /** Nothing started, nothing recorded. */
    public static EarlyEvaluations none() {
        return NONE;
    }

    /** Starts the evaluations {@code slot} records, with {@code tools}; each bounded by {@code timeout}. */
    static EarlyEvaluations start(NixTools tools, Duration timeout, EvaluationRecords.Slot slot) {
        EarlyEvaluations e = new EarlyEvaluations(slot, slot.load());
        for (List<String> args : e.recorded) {
            e.started.putIfAbsent(args, Background.start("distrolix-nix-early",
                    () -> tools.run(timeout, "nix-instantiate", args)));
        }
        return e;
    }

    /** {@code nix-instantiate args}: the answer of the one started with these arguments, else run now. */
    ProcessRunner.Result run(NixTools own, Duration ownTimeout, List<String> args) {
        Background<ProcessRunner.Result> early;
        synchronized (this) {
            early = this == NONE ? null : started.remove(args);
        }
        ProcessRunner.Result r = null;
        if (early != null) {
            try {
                r = early.join();
                synchronized (this) {
                    taken++;
                }
            } catch (IOException | RuntimeException failed) {
                r = null; // it could not run (interrupted, timed out): this build's own run says why
            }
        }
        if (r == null) {
            r = own.run(ownTimeout, "nix-instantiate", args);
        }
        if (r.ok() && this != NONE) {
            synchronized (this) {
                asked.add(List.copyOf(args));
            }
        }
        return r;
    }

    /** How many evaluations the build took from those started early. */
    public synchronized int taken() {
        return taken;
    }

    /** Waits for the evaluations started and not taken to end (a build's closure query waits for this). */
    public void settle() {
        for (Background<ProcessRunner.Result> b : notTaken()) {
            try {
                b.join();
            } catch (IOException | RuntimeException ignored) {
                // its answer was not needed
            }
        }
    }

    /**
     * Records what this build evaluated for the next build of the same spec (nothing evaluated, as from a lock:
     * the record is removed); writes only where that differs from the record read.
     */
    public void record() {
        List<List<String>> now;
        synchronized (this) {
            now = List.copyOf(asked);
        }
        if (!now.equals(recorded)) {
            slot.store(now);
        }
    }

    /** {@link #settle}; an interrupted build kills what is left instead. */
    @Override
    public void close() {
        if (Thread.currentThread().isInterrupted()) {
            notTaken().forEach(Background::cancel);
        } else {
            settle();
        }
    }

    private synchronized List<Background<ProcessRunner.Result>> notTaken() {
        return new ArrayList<>(started.values());
    }
}
