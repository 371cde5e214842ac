package dev.distrolix.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens by (realm, service, scopes): a push asks for {@code repository:R:pull,push},
 * a mount for that plus {@code repository:S:pull}, and each set gets its own token. Entries
 * are dropped shortly before they expire, and explicitly when the registry rejects one.
 */
public final class TokenCache {
    /** Tokens that expire within this margin are not handed out (a long upload would outlive them). */
    static final Duration MARGIN = Duration.ofSeconds(10);

    private final ConcurrentHashMap<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public TokenCache() {
        this(Clock.systemUTC());
    }

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    private record Entry(String token, Instant expires) {}

    static String key(String realm, String service, Collection<String> scopes) {
        return realm + "|" + (service == null ? "" : service) + "|" + String.join(" ", new TreeSet<>(scopes));
    }

    Optional<String> get(String key) {
        Entry e = tokens.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (clock.instant().plus(MARGIN).isAfter(e.expires)) {
            tokens.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.token);
    }

    /** {@code issuedAt} may be null (then now); {@code lifetime} is the token's expires_in. */
    void put(String key, String token, Duration lifetime, Instant issuedAt) {
        Instant start = issuedAt != null && issuedAt.isBefore(clock.instant()) ? issuedAt : clock.instant();
        tokens.put(key, new Entry(token, start.plus(lifetime)));
    }

    /** Forgets the token if it is still the one the registry rejected. */
    void invalidate(String key, String token) {
        tokens.computeIfPresent(key, (k, e) -> e.token.equals(token) ? null : e);
    }

    int size() {
        return tokens.size();
    }
}
