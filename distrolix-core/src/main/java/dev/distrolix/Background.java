package dev.distrolix;

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

    /**
     * Stops the step if it is still running, and waits until it has; its result or failure is then ignored.
     * It waits even when the caller is interrupted, or when {@link #join()} already asked the step to stop
     * (an interrupted join does): the build's failure path runs here, and a step left to stop on its own,
     * two threads away from the Nix process it waits for, would race the JVM's exit and leave that process
     * running. The caller's interrupt is kept.
     */
    public void cancel() {
        task.cancel(true);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        try {
            while (thread.isAlive()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
