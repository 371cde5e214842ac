package dev.distrolix.nix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command with an argument vector (never through a shell, so store paths,
 * attribute names and file names need no quoting), a fixed environment and a timeout. Both output
 * streams are drained on their own threads: a chatty build filling the stderr pipe must not be
 * able to block a process whose stdout we are waiting for.
 */
final class ProcessRunner {
    /** Build logs can be huge; the interesting "error:" lines are at the end, so keep the tail. */
    private static final int STDERR_TAIL_BYTES = 256 * 1024;
    private static final long DRAIN_GRACE_MILLIS = 5_000;
    private static final long KILL_WAIT_MILLIS = 2_000;
    /** How long Nix processes have to end by themselves when the JVM exits before they are killed. */
    private static final long EXIT_GRACE_MILLIS = 1_000;

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Nix processes still running. Ended when the JVM exits (SIGTERM, Ctrl-C, an error; a finished build has waited
     * for its own): a nix-instantiate busy parsing does not stop for its parent's end, and would run on as an orphan.
     */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED = new java.util.concurrent.atomic.AtomicBoolean();
    private static final java.util.concurrent.atomic.AtomicBoolean EXITING = new java.util.concurrent.atomic.AtomicBoolean();

    private final Map<String, String> environment;
    private final Path workingDirectory;

    /** {@code process}, killed with what it started if the JVM exits before it does. */
    private static Process tracked(Process process) {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    EXITING.set(true);
                    endAll(List.copyOf(LIVE));
                }, "distrolix-nix-exit"));
            } catch (IllegalStateException exiting) {
                EXITING.set(true);
            }
        }
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        if (EXITING.get()) {
            // started by a thread still running while the JVM exits, after the hook's sweep: killed here instead
            killNow(process);
        }
        return process;
    }

    /**
     * Asks {@code processes} and what they started to end (SIGTERM: Nix closes its database, a killed one may leave its
     * write-ahead log, which {@link ClosureRecords} would take for a change), then kills what is left after
     * {@link #EXIT_GRACE_MILLIS} (a Nix lexing a huge file does not stop for a signal).
     */
    private static void endAll(List<Process> processes) {
        List<ProcessHandle> all = new java.util.ArrayList<>();
        for (Process p : processes) {
            try {
                p.getOutputStream().close(); // a spare evaluation waiting for its expression then ends by itself
            } catch (IOException ignored) {
                // closed already
            }
            all.add(p.toHandle());
            p.descendants().forEach(all::add);
        }
        all.forEach(ProcessHandle::destroy);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_GRACE_MILLIS);
        for (ProcessHandle h : all) {
            long left = end - System.nanoTime();
            if (left > 0) {
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    break; // the grace is over: what is left is killed below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private static void killNow(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    ProcessRunner(Map<String, String> environment, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
    }

    Map<String, String> environment() {
        return environment;
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    Result run(List<String> command, Duration timeout) {
        return startPending(command).finish(new byte[0], timeout);
    }

    /**
     * Starts {@code command} now, its output read from the start, and its standard input left open for
     * {@link Pending#finish} (a spare evaluation: Nix starts, then waits for its expression).
     */
    Pending startPending(List<String> command) {
        ProcessBuilder pb = builder(command);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = tracked(pb.start());
        } catch (IOException e) {
            throw new NixException(command, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        Drain out = new Drain(process.getInputStream(), Integer.MAX_VALUE);
        Drain err = new Drain(process.getErrorStream(), STDERR_TAIL_BYTES);
        out.start();
        err.start();
        return new Pending(List.copyOf(command), process, out, err);
    }

    /** A started command whose standard input is still open; {@link #finish} gives it and waits for the answer. */
    static final class Pending {
        private final List<String> command;
        private final Process process;
        private final Drain out;
        private final Drain err;

        private Pending(List<String> command, Process process, Drain out, Drain err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /**
         * Ends it without an answer: its input closed, so that a Nix waiting for an expression reads none and exits
         * by itself, its database closed as usual (a signal would leave it waiting: Nix only notes one).
         */
        void retire() {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // gone already
            }
        }

        /** Writes {@code input}, closes the input and waits up to {@code timeout} for the command's end. */
        Result finish(byte[] input, Duration timeout) {
            try (java.io.OutputStream in = process.getOutputStream()) {
                in.write(input); // a pipe's buffer holds an expression; a command that has exited fails the write
            } catch (IOException ignored) {
                // the process may already be gone; its exit status tells the rest
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                    throw new NixException(command, displayName(command) + " timed out after " + human(timeout)
                            + " (raise the timeout if this build is expected to take longer)", err.text());
                }
                // A builder's grandchild may keep the pipes open after Nix exits: do not wait forever.
                out.join(DRAIN_GRACE_MILLIS);
                err.join(DRAIN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new NixException(command, displayName(command) + " was interrupted", e);
            }
            if (out.failure != null) {
                throw new NixException(command, "cannot read the output of " + displayName(command) + ": "
                        + out.failure.getMessage(), out.failure);
            }
            return new Result(command, process.exitValue(), out.text(), err.text());
        }
    }

    /**
     * Starts {@code command} with this runner's environment and directory for a conversation over its standard input
     * and output (its standard error is discarded); the caller bounds its time and ends it ({@link #kill}).
     */
    Process start(List<String> command) throws IOException {
        return tracked(builder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** {@code command} in this runner's directory, with its environment and nothing else. */
    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment);
        return pb;
    }

    /** "nix-build" rather than "/usr/bin/nix-build" in messages. */
    static String displayName(List<String> command) {
        String exe = command.get(0);
        return exe.substring(exe.lastIndexOf('/') + 1);
    }

    /** Kills the process and what it started (a builder); waits briefly for the process itself to end. */
    static void kill(Process process) {
        killNow(process);
        try {
            process.waitFor(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Copies a stream into memory; keeps only the last {@code limit} bytes (roughly) when bounded. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile IOException failure;

        Drain(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
            setDaemon(true);
            setName("nix-output-drain");
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, n);
                        if (limit != Integer.MAX_VALUE && buffer.size() > 2 * limit) {
                            byte[] all = buffer.toByteArray();
                            buffer.reset();
                            buffer.write(all, all.length - limit, limit);
                        }
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
