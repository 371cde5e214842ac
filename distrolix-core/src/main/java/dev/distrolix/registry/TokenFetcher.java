package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Gets a bearer token from a challenge's realm: {@code GET realm?service=…&scope=…&scope=…},
 * anonymously or with Basic credentials; with an identity token, the OAuth2 form
 * ({@code POST grant_type=refresh_token}). Answers carry {@code token} or {@code access_token}
 * (equivalent), {@code expires_in} (default 60 s) and {@code issued_at}.
 */
final class TokenFetcher {
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

    private final Http http;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final String registry;

    private final Http.Limits limits;

    TokenFetcher(Http http, RetryPolicy retry, Duration timeout, String registry) {
        this(http, retry, timeout, registry, Http.Limits.NONE);
    }

    TokenFetcher(Http http, RetryPolicy retry, Duration timeout, String registry, Http.Limits limits) {
        this.limits = limits;
        this.http = http;
        this.retry = retry;
        this.timeout = timeout;
        this.registry = registry;
    }

    record Token(String value, Duration lifetime, Instant issuedAt) {}

    Token fetch(AuthChallenge c, Collection<String> scopes, Credentials creds) throws IOException {
        URI realm = realm(c);
        String what = "getting a token from " + realm;
        Http.Call call;
        String authorization = null;
        if (creds != null && creds.identityToken()) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=distrolix&refresh_token=")
                    .append(enc(creds.secret()));
            if (c.service() != null) {
                form.append("&service=").append(enc(c.service()));
            }
            form.append("&scope=").append(enc(String.join(" ", new TreeSet<>(scopes))));
            byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
            call = new Http.Call("POST", realm, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    () -> HttpRequest.BodyPublishers.ofByteArray(body), timeout);
        } else {
            StringBuilder q = new StringBuilder();
            if (c.service() != null) {
                q.append("service=").append(enc(c.service()));
            }
            for (String s : new TreeSet<>(scopes)) {
                q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(s));
            }
            String base = realm.toString();
            URI uri = URI.create(q.length() == 0 ? base : base + (base.contains("?") ? "&" : "?") + q);
            call = Http.Call.of("GET", uri, timeout);
            authorization = creds == null ? null : creds.basicAuthorization();
        }
        String auth = authorization;
        Http.Call bounded = call.withLimits(limits);
        HttpResponse<byte[]> r = retry.run(attempt -> {
            HttpResponse<byte[]> resp;
            try {
                resp = http.send(bounded, auth, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw RegistryException.of(registry, null, what, Errors.oneLine(e), e);
            }
            if (resp.statusCode() != 200) {
                String hint = resp.statusCode() == 401 || resp.statusCode() == 403
                        ? (creds == null ? "unauthorized: the token service wants credentials and none were found"
                        : "unauthorized: the token service rejected the credentials of " + creds.describe())
                        : null;
                throw RegistryException.fromResponse(registry, null, what, resp.statusCode(), resp.headers(),
                        resp.body(), hint);
            }
            return resp;
        }, RetryPolicy.Listener.NONE);
        return parse(r.body(), what);
    }

    private Token parse(byte[] body, String what) throws RegistryException {
        JsonNode n;
        try {
            n = dev.distrolix.json.JsonTrees.read(body);
        } catch (IOException e) {
            throw RegistryException.of(registry, null, what, "the answer is not JSON", e);
        }
        String token = n.path("token").asText("");
        if (token.isEmpty()) {
            token = n.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw RegistryException.of(registry, null, what, "the answer has no token", null);
        }
        long expires = n.path("expires_in").asLong(0);
        Instant issued = null;
        String issuedAt = n.path("issued_at").asText("");
        if (!issuedAt.isEmpty()) {
            try {
                issued = Instant.parse(issuedAt);
            } catch (DateTimeParseException ignored) {
                // optional field: use "now"
            }
        }
        return new Token(token, expires > 0 ? Duration.ofSeconds(expires) : DEFAULT_LIFETIME, issued);
    }

    private URI realm(AuthChallenge c) throws RegistryException {
        String realm = c.realm();
        try {
            URI u = realm == null ? null : URI.create(realm);
            if (u != null && u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme())
                    || "http".equalsIgnoreCase(u.getScheme()))) {
                return u;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw RegistryException.of(registry, null, "authenticating",
                "the registry's Bearer challenge has no usable realm (" + realm + ")", null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
