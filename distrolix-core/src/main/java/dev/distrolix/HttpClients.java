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
