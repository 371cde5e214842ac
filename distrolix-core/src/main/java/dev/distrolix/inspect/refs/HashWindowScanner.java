package dev.distrolix.inspect.refs;

import dev.distrolix.nix.Nix32;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Finds every 32-character window of a run of nix32 characters in a byte stream fed in arbitrary
 * chunks — the candidates Nix's own reference scanner would look up. A run that straddles two
 * chunks is carried over (the last 31 characters are kept), so a hash split by a read buffer is
 * still found. Each window is reported once per position; a run of length L gives L-31 windows.
 */
public final class HashWindowScanner {
    private static final int N = Nix32.HASH_LENGTH;
    private final Consumer<String> window;
    private final byte[] run = new byte[2 * N];
    private int runLen; // characters of the current run held in `run` (at most 2N-1)

    public HashWindowScanner(Consumer<String> window) {
        this.window = window;
    }

    public void update(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (!Nix32.isDigit(c)) {
                runLen = 0;
                continue;
            }
            if (runLen == run.length) {
                System.arraycopy(run, runLen - (N - 1), run, 0, N - 1);
                runLen = N - 1;
            }
            run[runLen++] = c;
            if (runLen >= N) {
                window.accept(new String(run, runLen - N, N, StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** Scans a whole string (a symlink target) as its own stream. */
    public static void scan(String s, Consumer<String> window) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        new HashWindowScanner(window).update(b, 0, b.length);
    }

    /** Ends the current run: the next bytes start a new one (a new file). */
    public void reset() {
        runLen = 0;
    }
}
