package dev.distrolix.nix;

import dev.distrolix.Background;
import dev.distrolix.nix.substituter.NarHash;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A closure query through {@code nix-store --serve} (the protocol Nix speaks to a store over ssh, here over the
 * process's standard input and output), started before the closure's roots are known: Nix's own start (~20 ms,
 * its libraries' start-up) then overlaps the evaluation that names the roots, where {@code nix path-info -r}
 * could only start after it (Nix 2.8's path-info reads no paths from its input). Two requests: the closure of the
 * roots (QueryClosure), then each path's info (QueryPathInfos: deriver, references, NAR size and hash). What it
 * answers is Nix's, as path-info's is; anything unexpected (an invalid root, a refused or unknown request, an
 * answer past its bounds, the deadline) is a {@link IOException} and the caller asks path-info instead, which
 * says what is wrong in Nix's words. Read-only: no {@code --write}.
 */
final class NixServe implements AutoCloseable {
    private static final long MAGIC_1 = 0x390c9debL;
    private static final long MAGIC_2 = 0x5452eecbL;
    /** 2.6: from 2.4 on, a path's info carries its NAR hash, content address and signatures. */
    private static final long VERSION = 0x206;
    private static final long QUERY_PATH_INFOS = 2;
    private static final long QUERY_CLOSURE = 7;
    /** Store paths are at most 211 bytes; signatures and content addresses ~100. */
    private static final int MAX_STRING = 4096;
    private static final int MAX_COUNT = 1 << 20;
    private static final long END_WAIT_MILLIS = 1_000;

    private record Connection(Process process, InputStream in, OutputStream out) {}

    private final long deadline;
    private final Background<Connection> connecting;
    private volatile Process process;
    private volatile boolean closed;

    private NixServe(NixTools tools, Duration timeout) {
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.connecting = Background.start("distrolix-nix-serve", () -> connect(tools));
    }

    /** Starts {@code nix-store --serve} and its greeting on a thread of its own; {@link #closure} waits for it. */
    static NixServe start(NixTools tools, Duration timeout) {
        return new NixServe(tools, timeout);
    }

    private Connection connect(NixTools tools) throws IOException {
        Process p = tools.start("nix-store", List.of("--serve"));
        process = p;
        if (closed) { // closed while it started: close() may not have seen it
            end(p);
            throw new IOException("nix-store --serve: closed");
        }
        Connection c = new Connection(p, new BufferedInputStream(p.getInputStream(), 1 << 16),
                new BufferedOutputStream(p.getOutputStream(), 1 << 16));
        writeInt(c.out(), MAGIC_1);
        writeInt(c.out(), VERSION);
        c.out().flush();
        if (readInt(c.in()) != MAGIC_2) {
            throw new IOException("nix-store --serve: not its greeting");
        }
        long version = readInt(c.in());
        if ((version >> 8) != 2 || (version & 0xff) < 4) {
            throw new IOException("nix-store --serve speaks protocol " + Long.toHexString(version));
        }
        return c;
    }

    /**
     * The closure of {@code roots} as Nix's store has it; NAR hashes in the form path-info prints them
     * ({@code sha256-} and base64).
     */
    Closure closure(Collection<StorePath> roots) throws IOException {
        Background<Void> watchdog = watchdog();
        try {
            Connection c = connecting.join();
            writeInt(c.out(), QUERY_CLOSURE);
            writeInt(c.out(), 0); // not the outputs of derivations
            writePaths(c.out(), roots);
            c.out().flush();
            List<String> closure = readStrings(c.in());
            Set<String> wanted = new HashSet<>(closure);
            for (StorePath r : roots) {
                if (!wanted.contains(r.fullPath())) {
                    throw new IOException("nix-store --serve: the closure lacks its root " + r.fullPath());
                }
            }
            writeInt(c.out(), QUERY_PATH_INFOS);
            writeInt(c.out(), closure.size());
            for (String p : closure) {
                writeString(c.out(), p);
            }
            c.out().flush();
            List<PathInfo> infos = new ArrayList<>(closure.size());
            while (true) {
                String path = readString(c.in());
                if (path.isEmpty()) {
                    break;
                }
                if (!wanted.remove(path)) {
                    throw new IOException("nix-store --serve: info for " + path + ", not asked for or twice");
                }
                String deriver = readString(c.in());
                List<String> refs = readStrings(c.in());
                readInt(c.in()); // download size
                long narSize = readInt(c.in());
                String narHash = readString(c.in());
                readString(c.in()); // content address
                readStrings(c.in()); // signatures
                List<StorePath> references = new ArrayList<>(refs.size());
                for (String r : refs) {
                    references.add(StorePath.parse(r));
                }
                infos.add(new PathInfo(StorePath.parse(path), narSize, sri(narHash), references,
                        deriver.isEmpty() ? null : StorePath.parse(deriver)));
            }
            if (!wanted.isEmpty()) {
                throw new IOException("nix-store --serve: no info for " + wanted.iterator().next());
            }
            return new Closure(roots, infos);
        } catch (IllegalArgumentException e) {
            throw new IOException("nix-store --serve: " + e.getMessage(), e);
        } catch (java.util.concurrent.CancellationException e) {
            throw new IOException("nix-store --serve: past its deadline, or closed", e);
        } finally {
            watchdog.cancel(); // answered (or failed) in time: it stops sleeping
        }
    }

    /**
     * Ends the process, whether or not it was asked anything: at the end of its input, as Nix expects, so that it
     * closes its database (a killed one leaves SQLite's write-ahead log behind, which changes what the closure records
     * compare Nix's database by, and every record would be a miss); killed only if it has not ended within a second.
     * The process first, so that a greeting it never sends is not waited for.
     */
    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p != null) {
            end(p);
        }
        connecting.cancel();
    }

    private static void end(Process p) {
        try {
            p.getOutputStream().close();
            if (p.waitFor(END_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (IOException ignored) {
            // its input is gone already: killed below if it is still there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessRunner.kill(p);
    }

    /** Kills the process at the deadline: a read waiting on it then ends. */
    private Background<Void> watchdog() {
        return Background.start("distrolix-nix-serve-deadline", () -> {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            }
            Process p = process;
            if (p != null) {
                ProcessRunner.kill(p);
            }
            connecting.cancel();
            return null;
        });
    }

    /** {@code sha256:} and Nix32, as the protocol says it, in the form path-info prints. */
    static String sri(String narHash) {
        if (!narHash.startsWith("sha256:")) {
            throw new IllegalArgumentException("a NAR hash that is not sha256: " + narHash);
        }
        return "sha256-" + Base64.getEncoder().encodeToString(NarHash.parse(narHash).bytes());
    }

    static void writeInt(OutputStream out, long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    static void writeString(OutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(out, b.length);
        out.write(b);
        out.write(new byte[(8 - b.length % 8) % 8]);
    }

    private static void writePaths(OutputStream out, Collection<StorePath> paths) throws IOException {
        writeInt(out, paths.size());
        for (StorePath p : paths) {
            writeString(out, p.fullPath());
        }
    }

    static long readInt(InputStream in) throws IOException {
        byte[] b = in.readNBytes(8);
        if (b.length < 8) {
            throw new EOFException("nix-store --serve ended its answer early");
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    static String readString(InputStream in) throws IOException {
        long n = readInt(in);
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("nix-store --serve: a string of " + Long.toUnsignedString(n) + " bytes");
        }
        byte[] b = in.readNBytes((int) n);
        int pad = (int) ((8 - n % 8) % 8);
        if (b.length < n || in.readNBytes(pad).length < pad) {
            throw new EOFException("nix-store --serve ended its answer early");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    static List<String> readStrings(InputStream in) throws IOException {
        long n = readInt(in);
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("nix-store --serve: a set of " + Long.toUnsignedString(n) + " strings");
        }
        List<String> out = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) {
            out.add(readString(in));
        }
        return out;
    }
}
