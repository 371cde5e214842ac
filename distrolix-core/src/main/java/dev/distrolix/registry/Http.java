package dev.distrolix.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP layer under the registry client: HTTP/1.1 (no h2c upgrade probes), and redirects
 * followed by hand because {@code java.net.http} would forward our {@code Authorization} header
 * to wherever a registry redirects (blob GETs often go to a storage host). Here the header is
 * sent only while the URL keeps the original scheme, host and port.
 *
 * <p>Two clients, picked per request by the URL's scheme: {@code http://} URLs go through a
 * client that cannot do TLS at all, {@code https://} ones through a client with the verifying
 * (or, for {@code --insecure}, the trusting) TLS context, built on the first HTTPS request. A
 * {@code java.net.http} client sets its TLS context up when it is built (the security providers,
 * the {@code cacerts} trust store: 0.1–0.3 s of a short run), and a plain-HTTP registry on
 * loopback never needs it. Instances are shared by every {@link RegistryClient} of the process
 * with the same TLS rule and connect timeout ({@link #shared}), so a second connection to a
 * registry (the push after the fail-fast check) reuses the first one's kept-alive connections.
 *
 * <p>At JVM exit the clients' selector threads are stopped ({@link dev.distrolix.HttpClients}: else the
 * JVM waits 0.3 s for them).
 */
final class Http {
    static final int MAX_REDIRECTS = 5;
    /** An answer read into memory (ping, token, error, manifest) is a JSON document: at most this many bytes. */
    static final long MAX_BUFFERED = dev.distrolix.json.Mappers.MAX_DOCUMENT;
    /** A body handler for streamed answers (blobs): reads stall after {@link Limits#stall} without data. */
    static final HttpResponse.BodyHandler<InputStream> STREAM = info -> {
        throw new IllegalStateException("Http.STREAM is only a marker for Http.send");
    };
    private static final Map<Key, Http> SHARED = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();

    private record Key(boolean verifyTls, Duration connectTimeout, String userAgent, TlsFiles tlsFiles) {
        // Written out: a record's generated equals and hashCode are linked on first call through method handles that
        // the JVM's start-up archives do not keep (the first such call in a run ~10 ms).
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && verifyTls == k.verifyTls && connectTimeout.equals(k.connectTimeout)
                    && userAgent.equals(k.userAgent) && tlsFiles.equals(k.tlsFiles);
        }

        @Override
        public int hashCode() {
            return ((Boolean.hashCode(verifyTls) * 31 + connectTimeout.hashCode()) * 31 + userAgent.hashCode()) * 31
                    + tlsFiles.hashCode();
        }
    }

    private final boolean verifyTls;
    private final Duration connectTimeout;
    private final HttpClient plain;
    private volatile HttpClient tls;
    private final String userAgent;
    private final ThreadGroup threads;
    private final TlsFiles tlsFiles;

    Http(boolean verifyTls, Duration connectTimeout, String userAgent) {
        this(verifyTls, connectTimeout, userAgent, TlsFiles.NONE);
    }

    /** {@code tlsFiles}: CAs trusted besides the system's and a client certificate, for HTTPS. */
    Http(boolean verifyTls, Duration connectTimeout, String userAgent, TlsFiles tlsFiles) {
        this.tlsFiles = tlsFiles;
        this.threads = dev.distrolix.HttpClients.group("distrolix-http-" + IDS.incrementAndGet());
        this.verifyTls = verifyTls;
        this.connectTimeout = connectTimeout;
        this.userAgent = userAgent;
        // No TLS context to set up; explicit parameters, else the client asks the context for its defaults.
        this.plain = build(builder(connectTimeout).sslContext(dev.distrolix.NoTls.context()).sslParameters(new SSLParameters()));
    }

    /** The process-wide instance for these settings (java.net.http clients are meant to be shared). */
    static Http shared(boolean verifyTls, Duration connectTimeout, String userAgent) {
        return shared(verifyTls, connectTimeout, userAgent, TlsFiles.NONE);
    }

    /** The same, with a registry's TLS files (equal files share the instance). */
    static Http shared(boolean verifyTls, Duration connectTimeout, String userAgent, TlsFiles tlsFiles) {
        return SHARED.computeIfAbsent(new Key(verifyTls, connectTimeout, userAgent, tlsFiles),
                k -> new Http(k.verifyTls(), k.connectTimeout(), k.userAgent(), k.tlsFiles()));
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
    }

    private HttpClient clientFor(URI uri) throws IOException {
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            return plain;
        }
        HttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                c = tls;
                if (c == null) {
                    HttpClient.Builder b = builder(connectTimeout);
                    try {
                        if (!verifyTls) {
                            b.sslContext(InsecureTls.context(tlsFiles.keyManagers()));
                        } else if (!tlsFiles.isEmpty()) {
                            b.sslContext(tlsFiles.verifyingContext()); // the system's CAs, certs.d's, a client key
                        }
                    } catch (GeneralSecurityException e) {
                        throw new IOException("cannot set TLS up with the files in " + tlsFiles.dir() + ": "
                                + e.getMessage(), e);
                    }
                    c = build(b); // default: the JDK's verifying context
                    tls = c;
                }
            }
        }
        return c;
    }

    /** Builds a client whose threads are in this instance's group, stopped at exit ({@link dev.distrolix.HttpClients}). */
    private HttpClient build(HttpClient.Builder b) {
        return dev.distrolix.HttpClients.build(b, threads);
    }

    /** Stops the threads of this instance's clients (their selectors), as the exit hook does for all; for tests. */
    void stopThreads() {
        threads.interrupt();
    }

    /** The live threads of this instance's clients (for tests). */
    List<Thread> threads() {
        Thread[] all = new Thread[threads.activeCount() + 16];
        int n = threads.enumerate(all, true);
        return List.of(java.util.Arrays.copyOf(all, n));
    }

    /** The client for plain-HTTP URLs (for tests). */
    HttpClient plainClient() {
        return plain;
    }

    /**
     * One request; {@code body} makes a fresh publisher per send (auth round-trips and redirects resend it).
     * {@code timeout} bounds the wait for the answer's head once the request is sent; {@code limits} the
     * stalls and the command's deadline; {@code maxBody} the bytes of an answer read into memory.
     */
    record Call(String method, URI uri, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
                Duration timeout, Limits limits, long maxBody) {
        Call {
            Objects.requireNonNull(method);
            Objects.requireNonNull(uri);
            Objects.requireNonNull(limits);
            headers = Map.copyOf(headers);
        }

        Call(String method, URI uri, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
             Duration timeout) {
            this(method, uri, headers, body, timeout, Limits.NONE, MAX_BUFFERED);
        }

        static Call of(String method, URI uri, Duration timeout) {
            return new Call(method, uri, Map.of(), HttpRequest.BodyPublishers::noBody, timeout);
        }

        Call withHeader(String name, String value) {
            Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Call(method, uri, h, body, timeout, limits, maxBody);
        }

        Call withBody(Supplier<HttpRequest.BodyPublisher> newBody) {
            return new Call(method, uri, headers, newBody, timeout, limits, maxBody);
        }

        Call withLimits(Limits l) {
            return new Call(method, uri, headers, body, timeout, l, maxBody);
        }

        /** At most {@code bytes} of an answer read into memory; more fails fast ({@link TooLarge}). */
        Call withMaxBody(long bytes) {
            return new Call(method, uri, headers, body, timeout, limits, bytes);
        }
    }

    /** Sends, following redirects; {@code authorization} (may be null) only goes to the original origin. */
    <T> HttpResponse<T> send(Call call, String authorization, HttpResponse.BodyHandler<T> handler) throws IOException {
        URI uri = call.uri();
        String method = call.method();
        boolean withBody = true;
        for (int redirects = 0; ; redirects++) {
            HttpBodies.Activity activity = new HttpBodies.Activity();
            HttpRequest.BodyPublisher publisher = withBody ? call.body().get() : HttpRequest.BodyPublishers.noBody();
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .method(method, publisher.contentLength() == 0 ? publisher : new HttpBodies.WatchedBody(publisher, activity))
                    .header("User-Agent", userAgent);
            // no HttpRequest.timeout: sendOnce bounds every phase itself, naming the URL
            call.headers().forEach(b::header);
            if (authorization != null && sameOrigin(uri, call.uri())) {
                b.header("Authorization", authorization);
            }
            HttpResponse<T> r = sendOnce(clientFor(uri), b.build(), handler, call, activity);
            int s = r.statusCode();
            String location = r.headers().firstValue("Location").orElse(null);
            if (!isRedirect(s) || location == null) {
                return r;
            }
            if (redirects >= MAX_REDIRECTS) {
                discard(r);
                throw new Refused("the registry redirected " + (MAX_REDIRECTS + 1) + " times (last to "
                        + dev.distrolix.Printable.shown(location, 200)
                        + "), more than are followed: a loop?");
            }
            discard(r);
            URI next;
            try {
                next = uri.resolve(location);
            } catch (IllegalArgumentException malformed) {
                throw new Refused("the registry redirected to a malformed address, which is not followed");
            }
            uri = followable(next);
            if (s == 303 || ((s == 301 || s == 302) && method.equals("POST"))) {
                method = "GET";
                withBody = false;
            }
        }
    }

    /**
     * The bounds of one request besides its own {@code timeout}: {@code stall} is the longest time
     * without a byte while a body goes out or comes in (null: none); {@code deadline} the command's.
     */
    record Limits(Duration stall, Deadline deadline) {
        static final Limits NONE = new Limits(null, Deadline.NONE);

        Limits {
            Objects.requireNonNull(deadline, "deadline");
        }
    }

    /** No progress in time: a stall, an answer that never comes, or the command's deadline. One line naming the URL. */
    static final class TimedOut extends IOException {
        private final boolean deadline;

        TimedOut(String message, boolean deadline) {
            super(message);
            this.deadline = deadline;
        }

        /** The command's --timeout passed: trying again cannot help. */
        boolean deadline() {
            return deadline;
        }
    }

    /** A redirect distrolix does not follow: asking again gets the same answer. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** An answer larger than we read into memory; not retried. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** "30 s", "1.5 s", "10 min". */
    static String text(Duration d) {
        if (d == null) {
            return "no limit";
        }
        long ms = d.toMillis();
        if (ms % 1000 != 0 && ms < 10_000) {
            return (ms / 1000) + "." + (ms % 1000 / 100) + " s";
        }
        long s = d.toSeconds();
        return s >= 120 && s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri();
    }

    /**
     * Sends and waits, bounding each phase: sending the body and reading a buffered answer may not
     * stall longer than {@code limits.stall}; the answer's head must come within {@code call.timeout}
     * of the request (or of its body's last byte); nothing may run past the deadline. A request that
     * runs out of time is cancelled (its connection closed) and fails with one line naming it.
     */
    private static <T> HttpResponse<T> sendOnce(HttpClient client, HttpRequest request,
                                                HttpResponse.BodyHandler<T> handler, Call call, HttpBodies.Activity activity)
            throws IOException {
        Limits limits = call.limits();
        String what = describe(request);
        boolean head = request.method().equals("HEAD");
        HttpResponse.BodyHandler<T> watched = info -> {
            activity.phase(HttpBodies.Activity.RECEIVING);
            if (handler == (Object) STREAM) {
                @SuppressWarnings("unchecked")
                HttpResponse.BodySubscriber<T> stream = (HttpResponse.BodySubscriber<T>) new HttpBodies.StreamBody(limits, what);
                return stream;
            }
            long max = head ? -1 : call.maxBody();
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            HttpBodies.Watched<T> w = new HttpBodies.Watched<>(handler.apply(info), activity, max, what);
            if (max >= 0 && declared > max) {
                w.refuse(declared);
            }
            return w;
        };
        if (limits.deadline().remainingNanos() <= 0) {
            throw new TimedOut(what + ": not sent, " + limits.deadline().describe() + " has passed", true);
        }
        java.util.concurrent.CompletableFuture<HttpResponse<T>> f = client.sendAsync(request, watched);
        while (true) {
            long now = System.nanoTime();
            int phase = activity.phase;
            Duration bound = phase == HttpBodies.Activity.WAITING ? call.timeout() : limits.stall();
            long left = bound == null ? Long.MAX_VALUE : bound.toNanos() - (now - activity.last);
            long deadlineLeft = limits.deadline().remainingNanos();
            if (deadlineLeft <= 0) {
                f.cancel(true);
                throw new TimedOut(what + ": " + limits.deadline().describe() + " has passed", true);
            }
            if (left <= 0) {
                f.cancel(true);
                throw new TimedOut(what + ": " + switch (phase) {
                    case HttpBodies.Activity.SENDING -> "the server stopped taking the request body (no progress for "
                            + text(bound) + ")";
                    case HttpBodies.Activity.RECEIVING -> "no data for " + text(bound);
                    default -> "no answer for " + text(bound);
                }, false);
            }
            try {
                return f.get(Math.min(Math.min(left, deadlineLeft), 200_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // look at the phase and limits again
            } catch (java.util.concurrent.ExecutionException e) {
                throw unwrap(e.getCause(), what);
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted during " + what);
            }
        }
    }

    /** The failure behind an async send, as {@code send} would throw it (our own kinds kept as they are). */
    private static IOException unwrap(Throwable t, String what) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimedOut || c instanceof TooLarge) {
                return (IOException) c;
            }
        }
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof java.net.http.HttpConnectTimeoutException || c instanceof java.net.ConnectException) {
            return (IOException) c;
        }
        if (c instanceof java.net.http.HttpTimeoutException) {
            return new TimedOut(what + ": no answer in time", false);
        }
        if (c instanceof IOException io) {
            return io;
        }
        if (c instanceof RuntimeException r) {
            throw r;
        }
        return new IOException(what + ": " + c, c);
    }

    /**
     * A redirect's target, where one may be followed: HTTP(S) only, and plain HTTP only to a loopback host unless
     * TLS is not verified anyway (--insecure): the rule the registry itself was chosen by, which a redirect would
     * otherwise step around (a registry on 127.0.0.1 could send the client to any host in the clear).
     */
    URI followable(URI to) throws IOException {
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("the registry redirected to a " + scheme + ": address, which is not followed");
        }
        String host = to.getHost() == null ? "" : to.getHost().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("http") && verifyTls && !RegistrySettings.isLoopback(host.replace("[", "").replace("]", ""))) {
            throw new Refused("the registry redirected to plain HTTP at " + (host.isEmpty() ? to : host)
                    + ", which is not followed"
                    + " (only HTTPS leaves this machine; --insecure allows it)");
        }
        return to;
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : (u.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    }

    /** Closes a streamed body we do not read (so the connection can be reused or dropped). */
    static void discard(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try (in) {
                in.skip(1 << 16);
            } catch (IOException ignored) {
                // nothing to save
            }
        }
    }
}
