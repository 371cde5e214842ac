package dev.distrolix.build;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One step of a build run on its own thread while the build goes on (e.g. a Nix query that needs
 * nothing the build computes). {@link #join()} gives its result or throws exactly what the step
 * threw, so the step's failure reads as if it had run in line; {@link #cancel()} interrupts it
 * (a Nix process it waits for is then killed) when the build ends without needing it, and waits
 * for it to stop, so nothing it started outlives the build.
 */
public final class Background<T> {
    /** How long {@link #cancel()} waits for the step to wind down (killing a process is quick). */
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final FutureTask<T> task;
    private final Thread thread;

    private Background(Callable<T> step, String name) {
        this.task = new FutureTask<>(step);
        this.thread = new Thread(task, name);
        thread.setDaemon(true);
    }

    public static <T> Background<T> start(String name, Callable<T> step) {
        Background<T> b = new Background<>(step, name);
        b.thread.start();
        return b;
    }

    public T join() throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + task);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }

    /** Stops the step if it is still running, and waits until it has; its result or failure is then ignored. */
    public void cancel() {
        if (task.cancel(true)) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
