package dev.distrolix.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The token endpoint of the distribution registry's {@code token} auth, in test code: checks
 * Basic credentials, grants each requested {@code repository:NAME:ACTIONS} scope only the
 * actions the user may do, and answers with a JWT (RS256, the certificate in {@code x5c}) that
 * the real registry verifies against the same certificate. Anonymous callers get pull.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "distrolix-test-registry";
    public static final String ISSUER = "distrolix-test-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final TestCertificate cert;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private record User(String password, List<String> actions) {}

    private TokenServer(HttpServer server, TestCertificate cert) {
        this.server = server;
        this.cert = cert;
    }

    public static TokenServer start(TestCertificate cert) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TokenServer t = new TokenServer(http, cert);
        http.createContext("/token", t::handle);
        http.start();
        return t;
    }

    /** A user who may do {@code actions} ("pull", "push") on every repository. */
    public TokenServer user(String name, String password, String... actions) {
        users.put(name, new User(password, List.of(actions)));
        return this;
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** "user scope scope…" per token request, "-" for anonymous. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String user = "-";
            List<String> actions = List.of("pull");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.startsWith("Basic ")) {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                User u = users.get(decoded.substring(0, colon));
                if (u == null || !u.password.equals(decoded.substring(colon + 1))) {
                    requests.add(decoded.substring(0, colon) + " (rejected)");
                    send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username or password\"}]}");
                    return;
                }
                user = decoded.substring(0, colon);
                actions = u.actions;
            }
            List<String> scopes = new ArrayList<>();
            String query = ex.getRequestURI().getRawQuery();
            for (String kv : query == null ? new String[0] : query.split("&")) {
                if (kv.startsWith("scope=")) {
                    scopes.add(URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
                }
            }
            requests.add(user + " " + String.join(" ", scopes));
            String token = jwt(user, scopes, actions);
            ObjectNode body = JSON.createObjectNode().put("token", token).put("access_token", token)
                    .put("expires_in", 300).put("issued_at", Instant.now().toString());
            send(ex, 200, body.toString());
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private String jwt(String user, List<String> scopes, List<String> allowed) throws GeneralSecurityException,
            IOException {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.certificate().getEncoded()));
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", user).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            // repository:NAME:ACTIONS where NAME may hold ':' (host:port) — split at the first and last ':'
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last <= first) {
                continue;
            }
            ArrayNode granted = JSON.createArrayNode();
            for (String a : scope.substring(last + 1).split(",")) {
                if (allowed.contains(a)) {
                    granted.add(a);
                }
            }
            ObjectNode entry = access.addObject().put("type", scope.substring(0, first))
                    .put("name", scope.substring(first + 1, last));
            entry.set("actions", granted);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature sig = Signature.getInstance("SHA256withRSA");
        sig.initSign(cert.key());
        sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(sig.sign());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
