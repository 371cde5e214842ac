package dev.distrolix.inspect;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What an executable file is, by its bytes rather than its name: strings a program's binary
 * always carries (its version banner, its usage line), looked for in one pass over the first
 * {@link #SCAN_LIMIT} bytes of every executable ELF file, and import lines in the first bytes of
 * {@code #!} scripts (pip, yum, dnf are Python programs). A copy of bash named {@code python}, a
 * renamed busybox or a hard link to dash named {@code ls} are thereby known for what they are.
 *
 * <p>One matcher per file; {@link #update} is fed the content as it streams, {@link #result} then
 * names the program ({@code "bash"}, {@code "busybox"}, {@code "dpkg"}, …) or returns null.
 */
public final class ProgramSignatures {
    /** Shells and package managers are small; the banner of each sits well within this. */
    public static final long SCAN_LIMIT = 32L << 20;
    private static final int SCRIPT_LIMIT = 4096;

    /** A program and the bytes that betray it. */
    public record Signature(String program, Kind kind, boolean elf, byte[] bytes) {}

    /** What a detected program is. */
    public enum Kind { SHELL, PACKAGE_MANAGER }

    /** In priority order: busybox (which also carries ash's strings) first. */
    public static final List<Signature> SIGNATURES = List.of(
            elf("busybox", Kind.SHELL, "BusyBox v"),
            elf("toybox", Kind.SHELL, "Toybox version"),
            elf("bash", Kind.SHELL, "GNU bash, version"),
            elf("dash", Kind.SHELL, "Maximum function recursion depth (%d) reached"),
            elf("zsh", Kind.SHELL, "ZSH_VERSION"),
            elf("mksh", Kind.SHELL, "@(#)MIRBSD KSH"),
            elf("ksh", Kind.SHELL, "KSH_VERSION"),
            elf("fish", Kind.SHELL, "FISH_VERSION"),
            elf("tcsh", Kind.SHELL, "tcsh_version"),
            elf("dpkg", Kind.PACKAGE_MANAGER, "package management program version"),
            elf("apt-get", Kind.PACKAGE_MANAGER, "Usage: apt-get [options]"),
            elf("apt", Kind.PACKAGE_MANAGER, "Usage: apt [options]"),
            elf("rpm", Kind.PACKAGE_MANAGER, "RPM version %s"),
            elf("apk", Kind.PACKAGE_MANAGER, "apk-tools "),
            elf("microdnf", Kind.PACKAGE_MANAGER, "microdnf"),
            script("pip", "from pip._internal"),
            script("dnf", "import dnf.cli"),
            script("dnf", "from dnf.cli"),
            script("yum", "import yummain"),
            script("yum", "yum.cli"));

    private static Signature elf(String program, Kind kind, String text) {
        return new Signature(program, kind, true, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Signature script(String program, String text) {
        return new Signature(program, Kind.PACKAGE_MANAGER, false, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static final int MAX_LEN = SIGNATURES.stream().mapToInt(s -> s.bytes().length).max().orElse(1);
    /**
     * Signatures by their first two bytes, so each content byte costs one table look-up and almost
     * never a comparison (by first byte alone, common letters matched at most offsets of every file).
     */
    private static final int[][] BY_FIRST_TWO = new int[1 << 16][];

    static {
        int[] none = new int[0];
        java.util.Arrays.fill(BY_FIRST_TWO, none);
        for (int i = 0; i < SIGNATURES.size(); i++) {
            byte[] p = SIGNATURES.get(i).bytes();
            if (p.length < 2) {
                throw new IllegalStateException("a signature needs two bytes at least: " + SIGNATURES.get(i));
            }
            int k = ((p[0] & 0xff) << 8) | (p[1] & 0xff);
            int[] old = BY_FIRST_TWO[k];
            int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[old.length] = i;
            BY_FIRST_TWO[k] = grown;
        }
    }

    private enum State { START, ELF, SCRIPT, DONE }

    private final byte[] head = new byte[4];
    private int headLen;
    private State state = State.START;
    private final byte[] window = new byte[64 * 1024 + MAX_LEN];
    private int carry;
    private long seen;
    private int found = -1;

    /** The next content bytes. */
    public void update(byte[] b, int off, int len) {
        while (len > 0 && state != State.DONE) {
            if (state == State.START) {
                int n = Math.min(4 - headLen, len);
                System.arraycopy(b, off, head, headLen, n);
                headLen += n;
                off += n;
                len -= n;
                if (headLen >= 2 && head[0] == '#' && head[1] == '!') {
                    state = State.SCRIPT;
                } else if (head[0] != 0x7f && head[0] != '#' || headLen >= 2 && head[0] == '#') {
                    state = State.DONE;
                } else if (headLen == 4) {
                    state = head[1] == 'E' && head[2] == 'L' && head[3] == 'F' ? State.ELF : State.DONE;
                }
                if (state == State.ELF || state == State.SCRIPT) {
                    System.arraycopy(head, 0, window, 0, headLen); // the head is searched too
                    carry = headLen;
                    seen = headLen;
                }
                continue;
            }
            int room = window.length - carry;
            int n = Math.min(room, len);
            System.arraycopy(b, off, window, carry, n);
            off += n;
            len -= n;
            seen += n;
            search(carry + n);
            long limit = state == State.ELF ? SCAN_LIMIT : SCRIPT_LIMIT;
            if (found >= 0 || seen >= limit) {
                state = State.DONE;
            }
        }
    }

    /** Searches window[0, end), keeps the last MAX_LEN - 1 bytes as the next carry. */
    private void search(int end) {
        boolean elf = state == State.ELF;
        for (int i = 0; i + 1 < end && found < 0; i++) {
            int[] cands = BY_FIRST_TWO[((window[i] & 0xff) << 8) | (window[i + 1] & 0xff)];
            if (cands.length == 0) {
                continue;
            }
            for (int c : cands) {
                Signature s = SIGNATURES.get(c);
                if (s.elf() == elf && matches(s.bytes(), i, end)) {
                    if (found < 0 || c < found) {
                        found = c;
                    }
                }
            }
        }
        int keep = Math.min(end, MAX_LEN - 1);
        System.arraycopy(window, end - keep, window, 0, keep);
        carry = keep;
    }

    private boolean matches(byte[] p, int at, int end) {
        if (at + p.length > end) {
            return false;
        }
        for (int j = 2; j < p.length; j++) {
            if (window[at + j] != p[j]) {
                return false;
            }
        }
        return true;
    }

    /** The signature found, or null. */
    public Signature result() {
        return found < 0 ? null : SIGNATURES.get(found);
    }
}
