package dev.distrolix.debug;

import dev.distrolix.build.BuildResult;
import dev.distrolix.build.ImageBuild;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out a {@link DebugPlan}: builds the toolkit if needed, runs the sidecar's command line and
 * makes sure no sidecar outlives the session. The engine's {@code --rm} removes it when COMMAND ends;
 * if distrolix itself is stopped (Ctrl-C, SIGTERM) a shutdown hook stops the engine's client and then
 * removes the container by name, so an interrupted start leaves nothing behind either.
 */
public final class SidecarRunner {
    /** podman and docker run exit with 125 when they fail themselves, 126/127 when the command cannot run. */
    private static final int ENGINE_ERROR = 125;
    private final List<String> includes;
    private final Consumer<String> notes;

    SidecarRunner(List<String> includes, Consumer<String> notes) {
        this.includes = List.copyOf(includes);
        this.notes = notes;
    }

    /**
     * Where the sidecar's streams go: the terminal itself ({@link #inherit()}: stdin too, for the shell),
     * or writers (stdin closed), for callers that capture output.
     */
    public record Stdio(boolean inherited, Writer out, Writer err) {
        public static Stdio inherit() {
            return new Stdio(true, null, null);
        }

        public static Stdio to(Writer out, Writer err) {
            return new Stdio(false, out, err);
        }
    }

    int run(DebugPlan plan, Stdio stdio) {
        plan.build().ifPresent(this::build);
        ProcessBuilder pb = new ProcessBuilder(plan.argv());
        if (stdio.inherited()) {
            pb.inheritIO();
        }
        Thread hook = new Thread(() -> { }, "distrolix-debug-cleanup");
        Process p = null;
        try {
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new DebugException(plan.argv(), plan.argv().get(0) + " is not installed or cannot be run: " + e.getMessage(), e);
            }
            Process started = p;
            hook = new Thread(() -> stopAndRemove(started, plan), "distrolix-debug-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
            Thread out = null;
            Thread err = null;
            if (!stdio.inherited()) {
                p.getOutputStream().close(); // COMMAND reads no input from a caller that captures its output
                out = copy(p.getInputStream(), stdio.out());
                err = copy(p.getErrorStream(), stdio.err());
            }
            int status = p.waitFor();
            join(out);
            join(err);
            return status;
        } catch (IOException e) {
            throw new DebugException("sidecar I/O failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DebugException("interrupted while the sidecar ran", e);
        } finally {
            if (p != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or will run: it cleans up
                }
                if (p.isAlive() || p.exitValue() >= ENGINE_ERROR) {
                    stopAndRemove(p, plan); // the engine's own failure may come before --rm could act
                }
            }
        }
    }

    private void build(DebugPlan.ToolkitBuild b) {
        notes.accept("building  the debug toolkit from " + String.join(" ", b.packages()) + " → " + b.target());
        long t0 = System.nanoTime();
        try {
            BuildResult r = ImageBuild.fromSpec(b.toolkit().specFile()).includes(includes).target(b.target()).build();
            notes.accept(String.format(Locale.ROOT, "built     %s in %.1f s (%s)", r.target(),
                    (System.nanoTime() - t0) / 1e9, r.manifestDigest()));
        } catch (IOException e) {
            throw new DebugException("building the toolkit failed: " + e.getMessage(), e);
        } finally {
            b.toolkit().close();
        }
    }

    /** Stops the engine's client (it forwards the signal to the sidecar) and removes the sidecar if still there. */
    private static void stopAndRemove(Process p, DebugPlan plan) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        plan.runtime().ifPresent(rt -> {
            try {
                Commands.run(rt.forceRemove(plan.sidecar()));
            } catch (RuntimeException ignored) {
                // best effort: the engine's --rm normally removed it already
            }
        });
    }

    private static Thread copy(InputStream in, Writer to) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the process ended; its status tells
            }
        }, "distrolix-debug-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) throws InterruptedException {
        if (t != null) {
            t.join(10_000);
        }
    }
}
