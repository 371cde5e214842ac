package dev.distrolix.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

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
 * <p>At JVM exit the clients' selector threads are stopped: the JVM waits up to 0.3 s for any
 * thread blocked in native code before it exits, and a selector thread always is (in
 * {@code epoll_wait}); a JDK 17 client has no {@code close()}.
 */
final class Http {
    static final int MAX_REDIRECTS = 5;
    private static final Map<Key, Http> SHARED = new ConcurrentHashMap<>();
    private static final Set<HttpClient> CLIENTS = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(Http::stopSelectors, "distrolix-http-exit"));
        } catch (IllegalStateException shuttingDown) {
            // first used while the JVM exits: nothing to speed up
        }
    }

    private record Key(boolean verifyTls, Duration connectTimeout, String userAgent) {}

    private final boolean verifyTls;
    private final Duration connectTimeout;
    private final HttpClient plain;
    private volatile HttpClient tls;
    private final String userAgent;

    Http(boolean verifyTls, Duration connectTimeout, String userAgent) {
        this.verifyTls = verifyTls;
        this.connectTimeout = connectTimeout;
        this.userAgent = userAgent;
        // No TLS context to set up; explicit parameters, else the client asks the context for its defaults.
        this.plain = builder(connectTimeout).sslContext(NoTls.context()).sslParameters(new SSLParameters()).build();
        CLIENTS.add(plain);
    }

    /** The process-wide instance for these settings (java.net.http clients are meant to be shared). */
    static Http shared(boolean verifyTls, Duration connectTimeout, String userAgent) {
        return SHARED.computeIfAbsent(new Key(verifyTls, connectTimeout, userAgent),
                k -> new Http(k.verifyTls(), k.connectTimeout(), k.userAgent()));
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
    }

    private HttpClient clientFor(URI uri) {
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            return plain;
        }
        HttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                c = tls;
                if (c == null) {
                    HttpClient.Builder b = builder(connectTimeout);
                    if (!verifyTls) {
                        b.sslContext(trustAll());
                    }
                    c = b.build(); // default: the JDK's verifying context
                    CLIENTS.add(c);
                    tls = c;
                }
            }
        }
        return c;
    }

    private static void stopSelectors() {
        stopSelectors(CLIENTS);
    }

    /**
     * Interrupts the selector threads of {@code clients} (which ends them) and waits a moment for
     * them; should a JDK name them otherwise than {@link #selectorThreadName}, nothing is found and
     * exit is only slower.
     */
    static void stopSelectors(Collection<HttpClient> clients) {
        Set<String> names = new HashSet<>();
        for (HttpClient c : clients) {
            String name = selectorThreadName(c);
            if (name != null) {
                names.add(name);
            }
        }
        for (Thread t : allThreads()) {
            if (names.contains(t.getName())) {
                t.interrupt();
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * A client's {@code toString()} ends with its id, "…(7)", and its selector thread is named
     * "HttpClient-7-SelectorManager" (the JDK's own tests find it so); null if it does not.
     */
    static String selectorThreadName(HttpClient c) {
        String s = c.toString();
        int open = s.lastIndexOf('(');
        if (open < 0 || !s.endsWith(")")) {
            return null;
        }
        return "HttpClient-" + s.substring(open + 1, s.length() - 1) + "-SelectorManager";
    }

    static List<Thread> allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        return List.of(java.util.Arrays.copyOf(threads, n));
    }

    /** The client for plain-HTTP URLs (for tests). */
    HttpClient plainClient() {
        return plain;
    }

    /** One request; {@code body} makes a fresh publisher per send (auth round-trips and redirects resend it). */
    record Call(String method, URI uri, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
                Duration timeout) {
        Call {
            Objects.requireNonNull(method);
            Objects.requireNonNull(uri);
            headers = Map.copyOf(headers);
        }

        static Call of(String method, URI uri, Duration timeout) {
            return new Call(method, uri, Map.of(), HttpRequest.BodyPublishers::noBody, timeout);
        }

        Call withHeader(String name, String value) {
            Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Call(method, uri, h, body, timeout);
        }

        Call withBody(Supplier<HttpRequest.BodyPublisher> newBody) {
            return new Call(method, uri, headers, newBody, timeout);
        }
    }

    /** Sends, following redirects; {@code authorization} (may be null) only goes to the original origin. */
    <T> HttpResponse<T> send(Call call, String authorization, HttpResponse.BodyHandler<T> handler) throws IOException {
        URI uri = call.uri();
        String method = call.method();
        boolean withBody = true;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .method(method, withBody ? call.body().get() : HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", userAgent);
            if (call.timeout() != null) {
                b.timeout(call.timeout());
            }
            call.headers().forEach(b::header);
            if (authorization != null && sameOrigin(uri, call.uri())) {
                b.header("Authorization", authorization);
            }
            HttpResponse<T> r = sendOnce(clientFor(uri), b.build(), handler);
            int s = r.statusCode();
            String location = r.headers().firstValue("Location").orElse(null);
            if (!isRedirect(s) || location == null || redirects >= MAX_REDIRECTS) {
                return r;
            }
            discard(r);
            uri = uri.resolve(location);
            if (s == 303 || ((s == 301 || s == 302) && method.equals("POST"))) {
                method = "GET";
                withBody = false;
            }
        }
    }

    private static <T> HttpResponse<T> sendOnce(HttpClient client, HttpRequest request,
                                                HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + request.method() + " " + request.uri());
        }
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

    /** For --insecure: accepts any certificate and any host name (X509Extended, so JSSE adds no host check). */
    private static SSLContext trustAll() {
        TrustManager tm = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
