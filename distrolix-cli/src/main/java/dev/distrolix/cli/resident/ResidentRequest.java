package dev.distrolix.cli.resident;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code distrolix-client} asks for: a command's arguments, and the process state a run depends on that is not
 * in its arguments — its working directory, umask, environment — which must be this JVM's own, since Java cannot
 * give one thread another (a relative path resolves against {@code user.dir}, {@link System#getenv} is the
 * process's). The client picks the socket by a hash of them; {@link #differenceFrom} checks them in full.
 *
 * <p>On the wire: "DLX1", the umask (32 bits), whether stdin and stdout are terminals (a byte: what
 * {@link System#console()} says in a JVM of the client's own), the working directory, the environment's count and
 * entries ({@code NAME=value}), the arguments' count and each; a string is a 32-bit length and its bytes. Strings are
 * decoded as the JVM decodes its own arguments and environment ({@code sun.jnu.encoding}), so a run here sees what a
 * JVM of its own would.
 */
record ResidentRequest(int umask, boolean console, String cwd, Map<String, String> env, List<String> args) {
    static final int MAGIC = 0x444c5831; // "DLX1"
    /** Bounds on what is read before it is checked (Linux's own limit on arguments and environment is lower). */
    static final int MAX_STRINGS = 1 << 16;
    static final long MAX_BYTES = 16L << 20;
    static final java.util.Set<String> SHELL_BOOKKEEPING = java.util.Set.of("_", "SHLVL", "OLDPWD", "PWD");

    /** Reads a request; an IOException for anything else (the client is ours: nothing to explain to a user). */
    static ResidentRequest read(SocketChannel channel, Charset charset) throws IOException {
        Reader r = new Reader(channel, charset);
        if (r.int32() != MAGIC) {
            throw new IOException("not a distrolix-client request");
        }
        int umask = r.int32();
        boolean console = r.byte8() != 0;
        String cwd = r.string();
        Map<String, String> env = new HashMap<>();
        for (int i = 0, n = r.count(); i < n; i++) {
            String entry = r.string();
            int eq = entry.indexOf('=');
            if (eq > 0) { // as the JVM reads its environment: an entry without a name is left out
                env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        List<String> args = new ArrayList<>();
        for (int i = 0, n = r.count(); i < n; i++) {
            args.add(r.string());
        }
        return new ResidentRequest(umask, console, cwd, Map.copyOf(env), List.copyOf(args));
    }

    /**
     * Why this JVM cannot run the request as a JVM of the client's own would (null when it can): another working
     * directory, umask or environment. The variable {@code _} is left out: each shell sets it to the program it
     * runs (here the client, there java), and so are {@code SHLVL} (a subshell's is another), {@code OLDPWD} and
     * {@code PWD} (after a {@code cd}; the working directory itself is compared): the shell's bookkeeping, which
     * neither distrolix nor the tools it runs read.
     */
    String differenceFrom(String ownCwd, int ownUmask, Map<String, String> ownEnv) {
        if (!cwd.equals(ownCwd)) {
            return "another working directory";
        }
        if (umask != ownUmask) {
            return "another umask";
        }
        Map<String, String> mine = new HashMap<>(ownEnv);
        Map<String, String> theirs = new HashMap<>(env);
        mine.keySet().removeAll(SHELL_BOOKKEEPING);
        theirs.keySet().removeAll(SHELL_BOOKKEEPING);
        return mine.equals(theirs) ? null : "another environment";
    }

    /**
     * Why a run with {@code args} cannot be served here (null when it can): it names a process's own descriptors
     * ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/self/…}: here they would be this JVM's, not the client's),
     * or another device ({@code /dev/tty}: this JVM has no terminal), or reads its arguments from a file
     * ({@code @FILE}: what it holds is not checked here).
     */
    static String ownDescriptors(List<String> args) {
        for (String a : args) {
            if (a.contains("/dev/") || a.contains("/proc/")) {
                return "an argument names a device or a process's files";
            }
            if (a.startsWith("@")) {
                return "an argument file";
            }
        }
        return null;
    }

    private static final class Reader {
        private final SocketChannel channel;
        private final Charset charset;
        private long bytes;
        private int strings;

        Reader(SocketChannel channel, Charset charset) {
            this.channel = channel;
            this.charset = charset;
        }

        private ByteBuffer fill(int n) throws IOException {
            bytes += n;
            if (bytes > MAX_BYTES) {
                throw new IOException("a request of more than " + MAX_BYTES + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate(n);
            Frames.readFully(channel, b, false);
            return b.flip();
        }

        int int32() throws IOException {
            return fill(4).getInt();
        }

        int byte8() throws IOException {
            return fill(1).get();
        }

        int count() throws IOException {
            int n = int32();
            if (n < 0 || n > MAX_STRINGS - strings) {
                throw new IOException("a request of more than " + MAX_STRINGS + " strings");
            }
            strings += n;
            return n;
        }

        String string() throws IOException {
            int len = int32();
            if (len < 0 || len > MAX_BYTES) {
                throw new IOException("a string of " + Integer.toUnsignedString(len) + " bytes");
            }
            return new String(fill(len).array(), charset);
        }
    }
}
