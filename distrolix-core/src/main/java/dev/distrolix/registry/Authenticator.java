package dev.distrolix.registry;

import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Produces the {@code Authorization} header for registry requests. It learns the registry's
 * scheme from the last {@code WWW-Authenticate} challenge (the ping gets the first): Basic sends
 * the credentials directly; Bearer exchanges them (or nothing, for an anonymous token) for a
 * token per scope set, cached in {@link TokenCache}, refreshed once when the registry says 401.
 *
 * <p>Credentials are looked up only when a registry asks for them, and never sent over plain
 * HTTP unless the user allowed that registry explicitly ({@code --insecure}).
 */
final class Authenticator {
    private final String registry;
    private final CredentialStore store;
    private final boolean plainHttpCredentialsAllowed;
    private final TokenCache cache;
    private final TokenFetcher fetcher;
    private volatile AuthChallenge challenge;
    private volatile Optional<Credentials> credentials;

    Authenticator(String registry, CredentialStore store, boolean plainHttpCredentialsAllowed, TokenCache cache,
                  TokenFetcher fetcher) {
        this.registry = registry;
        this.store = store;
        this.plainHttpCredentialsAllowed = plainHttpCredentialsAllowed;
        this.cache = cache;
        this.fetcher = fetcher;
    }

    /** The challenge seen last (the ping's, at first), or null. */
    AuthChallenge challenge() {
        return challenge;
    }

    /** Starts from a challenge another client of the same registry and credentials saw (null: none seen). */
    void knows(AuthChallenge c) {
        challenge = c;
    }

    /** The header for a request needing {@code scopes}, or null while no challenge was seen. */
    String authorization(Collection<String> scopes, URI uri) throws IOException {
        AuthChallenge c = challenge;
        if (c == null) {
            return null;
        }
        if (!c.isBearer()) {
            Credentials creds = credentials(uri).orElse(null);
            return creds == null ? null : creds.basicAuthorization();
        }
        String key = TokenCache.key(c.realm(), c.service(), scopes);
        Optional<String> cached = cache.get(key);
        if (cached.isPresent()) {
            return "Bearer " + cached.get();
        }
        synchronized (this) { // parallel uploads start together: fetch each token once
            cached = cache.get(key);
            if (cached.isPresent()) {
                return "Bearer " + cached.get();
            }
            URI realm;
            try {
                realm = c.realm() == null ? null : URI.create(c.realm());
            } catch (IllegalArgumentException malformed) {
                realm = null;
            }
            // without a usable realm the fetcher says so (a bare "Bearer" challenge has none)
            TokenFetcher.Token t = fetcher.fetch(c, scopes, realm == null ? null : credentials(realm).orElse(null));
            cache.put(key, t.value(), t.lifetime(), t.issuedAt());
            return "Bearer " + t.value();
        }
    }

    /**
     * After a 401 to a request sent with {@code rejected} (null if none): remembers the challenge
     * and returns the header to try once more, or null when there is nothing new to try.
     */
    String afterUnauthorized(List<String> wwwAuthenticate, Collection<String> scopes, URI uri, String rejected)
            throws IOException {
        AuthChallenge c = AuthChallenge.parse(wwwAuthenticate);
        if (c == null) {
            return null;
        }
        challenge = c;
        if (!c.isBearer()) {
            String header = authorization(scopes, uri);
            return header == null || header.equals(rejected) ? null : header;
        }
        Set<String> needed = new LinkedHashSet<>(scopes);
        if (rejected != null && rejected.startsWith("Bearer ")) {
            cache.invalidate(TokenCache.key(c.realm(), c.service(), needed), rejected.substring(7));
        }
        return authorization(needed, uri);
    }

    /** Why a request was refused after authenticating, for the error message. */
    String hint(Collection<String> scopes) {
        AuthChallenge c = challenge;
        Optional<Credentials> creds = credentials;
        String who = creds != null && creds.isPresent() ? creds.get().describe() : null;
        if (c != null && c.isBearer() && "insufficient_scope".equals(c.error())) {
            return "unauthorized: the token " + (who == null ? "(anonymous)" : "for " + who)
                    + " does not grant " + String.join(" ", scopes) + " (insufficient_scope)";
        }
        if (who != null) {
            return "unauthorized: the registry rejected the credentials of " + who;
        }
        return "unauthorized: no credentials for " + registry + " (give --creds USER:PASSWORD, set "
                + CredentialStore.USER_VARIABLE + "/" + CredentialStore.PASSWORD_VARIABLE
                + ", or log in with podman login or docker login)";
    }

    private Optional<Credentials> credentials(URI target) throws IOException {
        Optional<Credentials> c = credentials;
        if (c == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = store.lookup(registry);
                }
                c = credentials;
            }
        }
        if (c.isPresent() && "http".equalsIgnoreCase(target.getScheme()) && !plainHttpCredentialsAllowed) {
            throw RegistryException.of(registry, null, "authenticating",
                    target.getHost() + " asks for credentials over plain HTTP; refusing to send "
                            + c.get().describe() + " unencrypted (pass --insecure to allow it for this registry)", null);
        }
        return c;
    }
}
