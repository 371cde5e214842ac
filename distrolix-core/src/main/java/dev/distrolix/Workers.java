package dev.distrolix;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads distrolix works on, made once per process ({@link #shared()}) or passed in by an
 * embedding application ({@link #of}). Two pools, because their tasks differ: {@code cpu} runs
 * leaf work that never waits for other tasks (compressing blocks), sized to the cores;
 * {@code io} runs work that waits — for a process, the network or the {@code cpu} pool (writing a
 * layer, uploading a blob) — and grows as needed, each caller bounding its own parallelism
 * ({@link #forEach}). Threads are daemons: an idle pool never keeps a JVM alive.
 */
public final class Workers {
    private final ExecutorService io;
    private final ExecutorService cpu;

    private Workers(ExecutorService io, ExecutorService cpu) {
        this.io = Objects.requireNonNull(io, "io");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
    }

    /** An application's own pools; distrolix never shuts them down. */
    public static Workers of(ExecutorService io, ExecutorService cpu) {
        return new Workers(io, cpu);
    }

    /** The process-wide pools, created on first use. */
    public static Workers shared() {
        return Shared.WORKERS;
    }

    public ExecutorService io() {
        return io;
    }

    public ExecutorService cpu() {
        return cpu;
    }

    /** A unit of work that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface Task<T, R> {
        R run(T item) throws IOException;
    }

    /**
     * Runs {@code task} on every item, at most {@code parallelism} at a time on the {@code io}
     * pool, and returns the results in the items' order. The first failure stops the rest (those
     * running are interrupted), and once every worker has stopped it is rethrown as it was thrown.
     */
    public <T, R> List<R> forEach(List<T> items, int parallelism, Task<T, R> task) throws IOException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        }
        int n = items.size();
        Object[] results = new Object[n];
        // the first failure in time is the cause; failures after it may only be the interruptions it caused
        java.util.concurrent.atomic.AtomicReference<Throwable> first = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(parallelism, n);
        CountDownLatch stopped = new CountDownLatch(workers);
        // the threads running a task now: interrupted when another task fails. Loops are never
        // cancelled as futures — a loop cancelled before it started would never count down — they
        // start, find nothing left to take, and stop.
        java.util.Set<Thread> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // under the set's lock, as a worker leaves it: a thread is never interrupted after it left (and cleared its
        // flag), which would carry the interrupt into the pool's next task
        Runnable stopAll = () -> {
            next.set(n);
            synchronized (running) {
                running.forEach(t -> {
                    if (t != Thread.currentThread()) {
                        t.interrupt();
                    }
                });
            }
        };
        for (int w = 0; w < workers; w++) {
            io.execute(() -> {
                running.add(Thread.currentThread());
                try {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        try {
                            results[i] = task.run(items.get(i));
                        } catch (Throwable t) {
                            first.compareAndSet(null, t);
                            stopAll.run(); // items not started are not started; running ones stop at their next check
                            return;
                        }
                    }
                } finally {
                    synchronized (running) {
                        running.remove(Thread.currentThread());
                    }
                    Thread.interrupted(); // a pool thread goes back clean
                    stopped.countDown();
                }
            });
        }
        try {
            stopped.await(); // every worker has stopped (and cleaned up) before anything is thrown
        } catch (InterruptedException e) {
            stopAll.run();
            // the caller cleans up after this (an output's rollback): no worker may still be writing then
            boolean waited = false;
            while (!waited) {
                try {
                    stopped.await();
                    waited = true;
                } catch (InterruptedException again) {
                    // still waiting: the interrupt is kept below
                }
            }
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (first.get() != null) {
            throw rethrow(first.get());
        }
        List<R> out = new ArrayList<>(n);
        for (Object r : results) {
            @SuppressWarnings("unchecked")
            R cast = (R) r;
            out.add(cast);
        }
        return out;
    }

    /**
     * What a task failed with, as its caller would have seen it run in line: an IOException returned (to throw), the
     * one inside an UncheckedIOException too; RuntimeExceptions and Errors thrown as they are; anything else wrapped.
     */
    public static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }

    private static final class Shared {
        static final Workers WORKERS = new Workers(
                Executors.newCachedThreadPool(daemons("distrolix-io-")), cpuPool());

        private static ExecutorService cpuPool() {
            int threads = Runtime.getRuntime().availableProcessors();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemons("distrolix-cpu-"));
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }

        private static java.util.concurrent.ThreadFactory daemons(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }
}
