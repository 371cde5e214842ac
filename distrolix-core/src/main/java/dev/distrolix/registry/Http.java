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
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP layer under the registry client: HTTP/1.1 (no h2c upgrade probes), and redirects
 * followed by hand because {@code java.net.http} would forward our {@code Authorization} header
 * to wherever a registry redirects (blob GETs often go to a storage host). Here the header is
 * sent only while the URL keeps the original scheme, host and port.
 */
final class Http {
    static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final String userAgent;

    Http(boolean verifyTls, Duration connectTimeout, String userAgent) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        if (!verifyTls) {
            b.sslContext(trustAll());
        }
        this.client = b.build();
        this.userAgent = userAgent;
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
            HttpResponse<T> r = sendOnce(b.build(), handler);
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

    private <T> HttpResponse<T> sendOnce(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
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
