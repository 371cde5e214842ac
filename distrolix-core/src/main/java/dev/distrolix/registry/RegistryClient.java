package dev.distrolix.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/*
 * Why our own client and not land.oras:oras-java-sdk (evaluated at 0.7.0, which is on Maven
 * Central and does have Docker-config/credential-helper auth, HEAD, mounts and chunked uploads):
 *  - its pushManifest adds an "org.opencontainers.image.created" annotation with the current
 *    time when the manifest has none and re-serialises it, so the pushed digest differs from the
 *    one every other output of ours carries and changes on each push — against reproducibility;
 *  - it has no retries at all (no backoff, no Retry-After on 429, no resumption after a reset);
 *  - no per-blob progress hooks, no "exists / mounted / uploaded" outcome per blob;
 *  - it pulls in Bouncy Castle, Caffeine, Micrometer, SLF4J/Logback and a TOML parser.
 * java.net.http has what a registry client needs; the protocol is small (formats.md §5–6).
 */

/**
 * A connection to one registry (OCI distribution spec): found by a ping of {@code /v2/} that
 * also settles the scheme (HTTPS; plain HTTP only where {@link RegistrySettings#transport}
 * allows it) and learns how the registry authenticates. Work on a repository goes through
 * {@link #repository(String, boolean)}.
 *
 * <pre>{@code
 * RegistryClient c = RegistryClient.connect("127.0.0.1:5000", RegistrySettings.defaults());
 * Repository repo = c.repository("nginx", true);
 * boolean present = repo.blobSize(digest).isPresent();
 * }</pre>
 */
public final class RegistryClient {
    static final String USER_AGENT = "distrolix/" + version();
    /** The plain-HTTP ping of a loopback registry waits at most this long (a TLS port may say nothing). */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final String registry;
    private final RegistrySettings settings;
    private final Http http;
    private final Authenticator auth;
    private final TlsFiles tlsFiles;
    private final TokenCache tokens;
    private volatile URI base;

    private RegistryClient(String registry, RegistrySettings settings, TlsFiles tlsFiles, TokenCache tokens) {
        this.registry = registry;
        this.settings = settings;
        RegistrySettings.Transport t = settings.transport(registry);
        this.tlsFiles = tlsFiles;
        this.tokens = tokens;
        this.http = Http.shared(t != RegistrySettings.Transport.INSECURE, settings.connectTimeout(), USER_AGENT,
                tlsFiles);
        TokenFetcher fetcher = new TokenFetcher(http, settings.retry(), settings.timeout(), registry,
                settings.limits());
        this.auth = new Authenticator(registry, settings.credentials(), t == RegistrySettings.Transport.INSECURE,
                tokens, fetcher);
    }

    private static TlsFiles tlsFiles(String registry, RegistrySettings settings) {
        try {
            return settings.certDirs().read(registry);
        } catch (IOException | dev.distrolix.InputException e) {
            // the files are the user's (a --cert-dir, a certs.d folder): an input error, as a bad option is
            throw new dev.distrolix.InputException(registry + ": reading its TLS files: " + Errors.oneLine(e), e);
        }
    }

    /**
     * Connects to {@code registry} (host[:port]; Docker Hub as docker.io) and pings it, unless a client of the same
     * settings pinged it in the last {@link Pings#FRESH} (see {@link Pings}).
     */
    public static RegistryClient connect(String registry, RegistrySettings settings) throws IOException {
        TlsFiles tls = tlsFiles(registry, settings);
        Pings.Key key = new Pings.Key(registry, settings.transport(registry), tls, settings.credentials());
        Pings.Answer known = Pings.recent(key);
        RegistryClient c = new RegistryClient(registry, settings, tls, known != null ? known.tokens() : new TokenCache());
        if (known != null) {
            c.base = known.base();
            c.auth.knows(known.challenge());
            return c;
        }
        c.ping();
        Pings.remember(key, c.base, c.auth.challenge(), c.tokens);
        return c;
    }

    public String registry() {
        return registry;
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** {@code https://host[:port]} or {@code http://host[:port]}, as the ping settled it. */
    public URI base() {
        return base;
    }

    /** Operations on one repository; {@code push} asks for push access in addition to pull. */
    public Repository repository(String name, boolean push) {
        return new Repository(this, name, push);
    }

    private void ping() throws IOException {
        String host = RegistryRef.apiHost(registry);
        RegistrySettings.Transport t = settings.transport(registry);
        boolean loopback = RegistrySettings.isLoopback(RegistrySettings.hostOf(host.toLowerCase(Locale.ROOT)));
        if (t != RegistrySettings.Transport.HTTPS && loopback && answersPlainHttp(host)) {
            return;
        }
        try {
            pingAt(URI.create("https://" + host + "/v2/"), settings.retry(), settings.timeout());
            return;
        } catch (RegistryException e) {
            boolean notTls = hasCause(e, SSLException.class) && !hasCause(e, CertificateException.class);
            if (wantsClientCertificate(e) || (tlsFiles.key() == null && closedDuringTls(e)
                    && ClientCertificateProbe.asks(host, PROBE_TIMEOUT))) {
                throw e.withHint("the registry asks for a client certificate: put NAME.cert and NAME.key in "
                        + "/etc/containers/certs.d/" + registry + "/ (or ~/.config/containers/certs.d/…) or a folder"
                        + " given with --cert-dir");
            }
            if (t == RegistrySettings.Transport.HTTPS || !notTls) {
                throw hasCause(e, CertificateException.class)
                        ? e.withHint("its TLS certificate is not trusted: put its CA certificate in "
                        + "/etc/containers/certs.d/" + registry + "/ca.crt (or ~/.config/containers/certs.d/…)"
                        + " or a folder given with --cert-dir, or pass --insecure to skip verification") : e;
            }
        }
        pingAt(URI.create("http://" + host + "/v2/"), settings.retry(), settings.timeout());
    }

    /**
     * A registry on loopback that may use plain HTTP usually does (a development registry):
     * one plain-HTTP ping first saves the TLS attempt (setting TLS up, a handshake the server
     * answers with an error), a third of a short push. True when a registry answered; an error
     * answer from a server that speaks HTTP (401 without usable credentials, 403…) is thrown as
     * it is, since the HTTPS-first sequence would end on that same answer. Anything else — nothing
     * listening, a TLS port (a 400 or a broken answer), a 5xx to retry — is left to that sequence,
     * so its results and messages are the ones it always gave. No credentials are at stake: the
     * ping sends none, and a challenge over plain HTTP is answered only when the user allowed it.
     */
    private boolean answersPlainHttp(String host) throws IOException {
        Duration timeout = settings.timeout().compareTo(PROBE_TIMEOUT) < 0 ? settings.timeout() : PROBE_TIMEOUT;
        try {
            pingAt(URI.create("http://" + host + "/v2/"), RetryPolicy.NONE, timeout);
            return true;
        } catch (RegistryException e) {
            int s = e.status();
            if (s > 0 && s != 400 && !RetryPolicy.isRetryableStatus(s)) {
                throw e;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private void pingAt(URI uri, RetryPolicy retry, Duration timeout) throws IOException {
        base = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        retry.run(attempt -> {
            HttpResponse<byte[]> r;
            try {
                r = send(Http.Call.of("GET", uri, timeout), List.of(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException e) {
                // no retries: a registry that is not there should say so at once
                throw RegistryException.of(registry, null, "connecting to " + base, Errors.oneLine(e), null);
            } catch (IOException e) {
                throw io(null, "connecting to " + base, e);
            }
            if (r.statusCode() == 200) {
                return null;
            }
            if (r.statusCode() == 404) {
                throw RegistryException.of(registry, null, "connecting to " + base,
                        "it does not serve the registry API (GET /v2/ answered 404)", null);
            }
            throw failure(null, "connecting to " + base, r, r.body(), List.of());
        }, retryListener(null));
    }

    /** Sends with the right Authorization, renewing it once after a 401. */
    <T> HttpResponse<T> send(Http.Call call, Collection<String> scopes, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        call = call.withLimits(settings.limits());
        boolean ours = base == null || Http.sameOrigin(call.uri(), base);
        String authorization = ours ? auth.authorization(scopes, call.uri()) : null;
        HttpResponse<T> r = http.send(call, authorization, handler);
        if (r.statusCode() == 401 && ours) {
            String again = auth.afterUnauthorized(r.headers().allValues("WWW-Authenticate"), scopes, call.uri(),
                    authorization);
            if (again != null) {
                Http.discard(r);
                r = http.send(call, again, handler);
            }
        }
        return r;
    }

    /** An error answer as an exception; 401/403 get a hint about credentials or scopes. */
    RegistryException failure(String repository, String what, HttpResponse<?> r, byte[] body,
                              Collection<String> scopes) {
        int s = r.statusCode();
        String hint = s == 401 || s == 403 ? auth.hint(scopes) : null;
        return RegistryException.fromResponse(registry, repository, what, s, r.headers(), body, hint);
    }

    /** An I/O failure (reset, timeout, TLS) as an exception; retryable per its cause. */
    RegistryException io(String repository, String what, IOException e) {
        return RegistryException.of(registry, repository, what, Errors.oneLine(e), e);
    }

    /** A Location header (relative or absolute) as a URI. */
    URI resolve(String location) {
        return base.resolve(location);
    }

    RetryPolicy.Listener retryListener(dev.distrolix.blob.Digest digest) {
        return (attempt, delay, cause) -> settings.listener().on(
                new PushEvent.Retrying(digest, attempt, delay, cause.getMessage()));
    }

    /** A TLS server that refused us for want of a (good) client certificate: TLS, not plain HTTP. */
    private static boolean wantsClientCertificate(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (c instanceof SSLException && m != null
                    && (m.contains("bad_certificate") || m.contains("certificate_required"))) {
                return true;
            }
        }
        return false;
    }

    /** A TLS failure or a connection closed early: not a timeout, a refusal or an untrusted server. */
    private static boolean closedDuringTls(Throwable e) {
        return !hasCause(e, java.net.http.HttpTimeoutException.class) && !hasCause(e, ConnectException.class)
                && !hasCause(e, java.net.UnknownHostException.class) && !hasCause(e, CertificateException.class)
                && hasCause(e, IOException.class);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String version() {
        String v = RegistryClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
