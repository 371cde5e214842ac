package dev.distrolix;

import java.net.http.HttpClient;

/**
 * Builds {@code java.net.http} clients whose threads end when the JVM exits. The JVM waits up to 0.3 s at exit
 * for any thread blocked in native code — {@code System.exit} included, measured — and a client's selector
 * thread always is (in {@code epoll_wait}); a JDK 17 client has no {@code close()}. So each client is built on a
 * short-lived thread of a {@link ThreadGroup} of ours: the threads the client starts belong to that group, and
 * one exit hook interrupts the group (what ends a selector thread), relying on no thread names.
 */
public final class HttpClients {
    /** The threads of every client built here, one subgroup per caller's group. */
    private static final ThreadGroup THREADS = new ThreadGroup("distrolix-http");
    private static final java.util.concurrent.atomic.AtomicBoolean EXIT_HOOK = new java.util.concurrent.atomic.AtomicBoolean();
    /** {@code java.net.http}'s buffer size for what it reads from a connection (its default is 16 kB). */
    static final String BUFFER_SIZE_PROPERTY = "jdk.httpclient.bufsize";
    static final int BUFFER_SIZE = 256 * 1024;

    static {
        // java.net.http reads a response in buffers of this size, each handed from its selector thread through its
        // reactive pipeline to the reader: with 256 kB ones a fresh runner's download of the registry's layers took
        // 0.92x the time and 0.89x the CPU (9 pairs, interleaved; 128 kB 0.93x, 64 kB worse). Read once, when its
        // classes first load: set here, before any client is built (every one is built by this class, whose group()
        // its owners call first), and only where the user has not set it.
        if (System.getProperty(BUFFER_SIZE_PROPERTY) == null) {
            System.setProperty(BUFFER_SIZE_PROPERTY, Integer.toString(BUFFER_SIZE));
        }
    }

    private HttpClients() {
    }

    /** A group under {@link #THREADS} for one owner's clients (so they can be stopped, or counted, apart). */
    public static ThreadGroup group(String name) {
        return new ThreadGroup(THREADS, name);
    }

    /** Builds {@code b}'s client on a thread of {@code group}; the first call registers the exit hook. */
    public static HttpClient build(HttpClient.Builder b, ThreadGroup group) {
        if (EXIT_HOOK.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(THREADS::interrupt, "distrolix-http-exit"));
            } catch (IllegalStateException shuttingDown) {
                // first used while the JVM exits: nothing to speed up
            }
        }
        HttpClient[] built = new HttpClient[1];
        RuntimeException[] failed = new RuntimeException[1];
        Thread t = new Thread(group, () -> {
            try {
                built[0] = b.build();
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        }, group.getName() + "-build");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a client is built in well under a second: finish, then say so
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        return built[0];
    }
}
