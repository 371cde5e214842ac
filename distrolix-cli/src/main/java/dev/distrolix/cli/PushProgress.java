package dev.distrolix.cli;

import dev.distrolix.blob.Digest;
import dev.distrolix.registry.PushEvent;
import dev.distrolix.registry.PushListener;
import dev.distrolix.registry.PushResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a push like {@code docker push}: on a terminal one self-updating line per blob
 * ("Uploading [====>   ] 3.1 MB/10.2 MB", "Layer already exists", "Mounted from nginx"); in a
 * log (CI) one plain line per change of state. It also keeps the push's result for --json.
 */
final class PushProgress implements PushListener {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean silent;
    private final Map<Digest, String> lines = new LinkedHashMap<>();
    private final Map<Digest, Long> started = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;
    private volatile PushResult result;

    PushProgress(PrintWriter err, boolean terminal, boolean silent) {
        this.err = err;
        this.terminal = terminal;
        this.silent = silent;
    }

    /** The last push's result, or null when nothing was pushed. */
    PushResult result() {
        return result;
    }

    @Override
    public synchronized void on(PushEvent e) {
        if (e instanceof PushEvent.Finished f) {
            result = f.result();
        }
        if (silent) {
            return;
        }
        if (e instanceof PushEvent.Started s) {
            freeze();
            print("push      " + s.target() + " (" + s.blobs().size() + " blobs)");
            s.blobs().forEach(b -> lines.put(b.digest(), label(b.digest()) + "Waiting"));
            redraw(true);
        } else if (e instanceof PushEvent.BlobUpdate u) {
            blob(u);
        } else if (e instanceof PushEvent.Retrying r) {
            String who = r.digest() == null ? "request" : short12(r.digest());
            print(String.format(Locale.ROOT, "retry     %s in %.1f s (attempt %d failed: %s)", who,
                    r.delay().toMillis() / 1000.0, r.failedAttempt(), r.reason()));
        } else if (e instanceof PushEvent.ManifestPushed m) {
            freeze();
            print("manifest  " + m.reference() + " " + m.digest());
        } else if (e instanceof PushEvent.Unchanged u) {
            lines.clear();
            freeze();
            print("unchanged " + String.join(", ", u.references()) + " already " + u.digest());
        } else if (e instanceof PushEvent.Finished f) {
            freeze();
            PushResult r = f.result();
            print(String.format(Locale.ROOT, "pushed    %d uploaded (%s), %d already there, %d mounted",
                    r.count(PushResult.Fate.UPLOADED), Sizes.human(r.uploadedBytes()),
                    r.count(PushResult.Fate.EXISTS), r.count(PushResult.Fate.MOUNTED)));
        }
        err.flush();
    }

    private void blob(PushEvent.BlobUpdate u) {
        String text = switch (u.state()) {
            case WAITING -> "Waiting";
            case COMPRESSING -> u.detail() == null ? "Compressing" : "Compressed to " + u.detail();
            case UPLOADING -> "Uploading " + (terminal ? bar(u.done(), u.size()) : Sizes.human(u.size()));
            case EXISTS -> "Layer already exists";
            case MOUNTED -> "Mounted from " + u.detail();
            case UPLOADED -> "Pushed " + Sizes.human(u.size()) + seconds(u.digest());
            case FAILED -> "Failed: " + u.detail();
        };
        if (u.state() == PushEvent.State.UPLOADING && u.done() == 0) {
            started.put(u.digest(), System.nanoTime());
        }
        boolean changed = !lines.containsKey(u.digest()) || u.state().isFinal()
                || u.state() == PushEvent.State.UPLOADING && u.done() == 0 || u.state() == PushEvent.State.COMPRESSING;
        lines.put(u.digest(), label(u.digest()) + text);
        if (terminal) {
            redraw(changed);
        } else if (changed && u.state() != PushEvent.State.WAITING) {
            print("blob      " + label(u.digest()) + text);
        }
    }

    /** Redraws the blob lines in place (cursor up, clear line); progress-only changes at most 10 times a second. */
    private void redraw(boolean force) {
        if (!terminal || lines.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\033[").append(drawn).append('A');
        }
        for (String line : lines.values()) {
            sb.append("\r\033[2K").append(line).append('\n');
        }
        err.print(sb);
        drawn = lines.size();
    }

    /** Prints a line above the blob block (on a terminal the block is erased and drawn again below it). */
    private void print(String line) {
        if (terminal && drawn > 0) {
            err.print("\033[" + drawn + "A\r\033[J");
            drawn = 0;
            err.println(line);
            redraw(true);
        } else {
            err.println(line);
        }
    }

    /** Leaves the block as it is on screen; what follows goes below it. */
    private void freeze() {
        redraw(true);
        drawn = 0;
        lines.clear();
    }

    private String seconds(Digest d) {
        Long t0 = started.get(d);
        return t0 == null ? "" : String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static String label(Digest d) {
        return short12(d) + ": ";
    }

    private static String short12(Digest d) {
        return d.hex().substring(0, 12);
    }

    static String bar(long done, long total) {
        int width = 30;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled);
        return "[" + bar + "] " + Sizes.human(done) + "/" + Sizes.human(total);
    }
}
