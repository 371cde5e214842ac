package dev.distrolix.cli.resident;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * A resident JVM that runs distrolix commands for {@code distrolix-client} ({@code DISTROLIX_DAEMON=1}): a run then
 * costs no JVM start, no class loading and no first-use compiling, which are most of a short command's time (an
 * unchanged re-push, a copy). It serves one working directory, umask and environment, its own (the client picks its
 * socket by them, {@link ResidentRequest} checks them), one run at a time: a client that finds it busy runs the
 * command in a JVM of its own. A signal the client gets ends this JVM as it would have ended the client's own
 * (shutdown hooks, exit 128 + the signal), and so does a client that goes away mid-run.
 *
 * <p>Its files sit in a folder only its user may enter ({@code SOCKET}'s, checked): {@code NAME.sock}, {@code NAME.lock}
 * (held while it lives: one JVM a socket, and the client does not start a second while the first starts; it holds the
 * pid) and {@code NAME.log} (a line a run: the command's name, its exit status and time; never its arguments, which
 * may hold credentials). It ends after {@code DISTROLIX_DAEMON_IDLE} seconds without a run (600 by default), when
 * its jar changes (a rebuilt jar would fail its next class load), or when its socket is removed or replaced.
 *
 * <p>Usage: {@code ResidentServer SOCKET UMASK} (the client starts it, detached, with its own environment).
 */
public final class ResidentServer {
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(600);
    static final long MAX_LOG = 1 << 20;
    private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path socket;
    private final int umask;
    private final Duration idle;
    private final Path log;
    private final Object state = new Object();
    private boolean busy;
    private boolean stopping;
    private Instant lastUsed = Instant.now();
    private ServerSocketChannel server;
    private Object socketKey;

    ResidentServer(Path socket, int umask, Duration idle) {
        this.socket = socket;
        this.umask = umask;
        this.idle = idle;
        this.log = sibling(socket, ".log");
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ResidentServer SOCKET UMASK");
        }
        Duration idle = idleTimeout(System.getenv("DISTROLIX_DAEMON_IDLE"));
        ResidentServer server = new ResidentServer(Path.of(args[0]), Integer.parseInt(args[1]), idle);
        try {
            server.serve();
        } catch (IOException | RuntimeException e) {
            // its stderr is /dev/null: the log says why, and SOCKET's .failed keeps clients from starting another
            // for a while (distrolix-client), which would fail the same way at each run
            server.log("could not start: " + e);
            try {
                Files.writeString(sibling(server.socket, ".failed"), e + "\n");
            } catch (IOException ignored) {
                // the log has it
            }
            System.exit(1);
        }
    }

    /** {@code DISTROLIX_DAEMON_IDLE}: seconds, 1 to a day; the default otherwise (bin/distrolix refuses a bad one). */
    static Duration idleTimeout(String value) {
        if (value != null && value.matches("[0-9]{1,5}")) {
            int s = Integer.parseInt(value);
            if (s >= 1 && s <= 86_400) {
                return Duration.ofSeconds(s);
            }
        }
        return DEFAULT_IDLE;
    }

    static Path sibling(Path socket, String suffix) {
        String name = socket.getFileName().toString();
        return socket.resolveSibling((name.endsWith(".sock") ? name.substring(0, name.length() - 5) : name) + suffix);
    }

    /**
     * The folder holds only its user's files: its owner is this process's user (by uid: a uid without a name, as in
     * containers, has no user.name) and no one else may enter it.
     */
    static boolean privateFolder(Path dir) throws IOException {
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isDirectory() && OWNER_ONLY.containsAll(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS))
                && Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(ownUid());
    }

    /** This process's uid: the owner of its own /proc entry. */
    static Object ownUid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
    }

    void serve() throws IOException {
        if (!privateFolder(socket.getParent())) {
            throw new IOException(socket.getParent() + " is not a folder of this user's alone");
        }
        try (FileChannel lockFile = FileChannel.open(sibling(socket, ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another JVM serves (or is starting to serve) this socket
            }
            lockFile.truncate(0).write(java.nio.ByteBuffer.wrap(
                    (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            listen();
            dev.distrolix.cli.Distrolix.prepareResident();
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutDown, "distrolix-resident-exit"));
            Thread watch = new Thread(this::watch, "distrolix-resident-watch");
            watch.setDaemon(true);
            watch.start();
            log("started, pid " + ProcessHandle.current().pid() + ", ends after " + idle.toSeconds() + " s idle");
            accept();
        }
    }

    /** Binds a fresh name and renames it over the socket's: a client never finds a socket nothing listens on yet. */
    private void listen() throws IOException {
        // no longer than the socket's name, which the client checked against the kernel's limit; one JVM at a time
        // gets here (it holds the lock)
        Path fresh = sibling(socket, ".new");
        Files.deleteIfExists(fresh);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(fresh));
        socketKey = fileKey(fresh);
        Files.move(fresh, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return; // closed by watch(): it ends the JVM
            }
            String refusal;
            synchronized (state) {
                refusal = stopping ? "stopping" : busy ? "busy" : ownUser(ch) ? null : "another user";
                busy = busy || refusal == null;
            }
            if (refusal != null) {
                refuse(ch, refusal);
                continue;
            }
            Thread run = new Thread(() -> {
                try {
                    if (new ResidentRun(ch, umask, this::log).serve()) {
                        // an Error (out of memory, a class that failed to initialize) may have left this JVM unfit;
                        // still busy: no run is taken before the exit's shutDown says stopping
                        stop("a run ended in an Error");
                    }
                    // the client has its exit status: the next build's Nix starts while this JVM waits
                    dev.distrolix.nix.SpareEvaluations.refill();
                } finally {
                    synchronized (state) {
                        busy = false;
                        lastUsed = Instant.now();
                    }
                }
                // gives back the heap the run grew (the serial collector shrinks it to MaxHeapFreeRatio at a full
                // collection: bin/distrolix sets 30%), so that a JVM waiting between runs holds little; after the
                // client has its exit status, and not busy: a run that comes meanwhile waits out the pause only
                System.gc();
            }, "distrolix-resident-run");
            run.start();
        }
    }

    /** Whether the peer runs as this JVM's user: the same uid as the folder's owner, which is this JVM's. */
    private boolean ownUser(SocketChannel ch) {
        try {
            return ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user()
                    .equals(Files.getOwner(socket.getParent(), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void refuse(SocketChannel ch, String why) {
        try (ch) {
            byte[] b = why.getBytes(StandardCharsets.UTF_8);
            new Frames.Writer(ch).send(Frames.REFUSED, b, 0, b.length);
        } catch (IOException ignored) {
            // the client runs the command itself either way
        }
        log("refused a run: " + why);
    }

    /** Once a second: ends this JVM when it has been idle long enough, its jar changed or its socket is gone. */
    private void watch() {
        Path jar = jarPath();
        String jarStamp = dev.distrolix.FileIdentity.orNull(jar);
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            String reason = null;
            if (!java.util.Objects.equals(dev.distrolix.FileIdentity.orNull(jar), jarStamp)) {
                reason = "its jar changed";
            } else if (!java.util.Objects.equals(fileKey(socket), socketKey)) {
                reason = "its socket was removed or replaced";
            } else if (ResidentRun.sameFolder(System.getProperty("user.dir")) != null) {
                reason = "its working directory was removed or replaced"; // and the JVM would hold the removed one
            }
            boolean stop = false;
            synchronized (state) {
                Duration idleFor = Duration.between(lastUsed, Instant.now());
                if (reason == null && !busy && idleFor.compareTo(idle) >= 0) {
                    reason = "idle for " + idleFor.toSeconds() + " s";
                }
                if (reason != null && !busy) {
                    stopping = stop = true;
                }
            }
            if (stop) {
                stop(reason);
            }
        }
    }

    private void stop(String reason) {
        log("stopping: " + reason);
        System.exit(0);
    }

    /** At exit (whatever ends it: a signal too): no run is taken any more, and its files go. */
    private void shutDown() {
        synchronized (state) {
            stopping = true;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // the accept loop ends either way
        }
        removeFiles();
    }

    /**
     * Its socket (while it is still this JVM's) and its lock file, which would otherwise stay, one for each folder and
     * environment ever served. A JVM starting meanwhile may lock the removed file while a third locks a new one: both
     * then serve, until the one whose socket the other's replaced sees it ({@link #watch}) and ends.
     */
    private void removeFiles() {
        try {
            if (java.util.Objects.equals(fileKey(socket), socketKey)) {
                Files.deleteIfExists(socket);
            }
            Files.deleteIfExists(sibling(socket, ".lock"));
        } catch (IOException ignored) {
            // a client then finds nothing listening, and starts another JVM
        }
    }

    private static Path jarPath() {
        try {
            return Path.of(ResidentServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The file's key (device and inode), links not followed; null where it cannot be read. */
    static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** One line of the log: a UTC time and what happened. Best effort. */
    synchronized void log(String line) {
        try {
            if (Files.size(log) > MAX_LOG) {
                Files.delete(log);
            }
        } catch (IOException ignored) {
            // absent: the line starts it
        }
        try (PrintStream p = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), false, StandardCharsets.UTF_8)) {
            p.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
        } catch (IOException ignored) {
            // the log is for people; a run does not depend on it
        }
    }
}
