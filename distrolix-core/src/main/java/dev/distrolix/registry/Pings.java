package dev.distrolix.registry;

import java.net.URI;
import java.time.Duration;

/**
 * What the pings of the last minute settled: a registry's scheme and how it asks for credentials, and the tokens
 * fetched since. The clients of one run reach the same registry — a build's check of its target, the early read of
 * its image, the push, the signature and attestation beside it — and each ping is a round trip (three where the
 * registry wants credentials: 401, a token, 200), each token another: one ping per registry is enough, and a token
 * one client fetched serves the others (tokens are kept by scope, as each client kept them). Keyed by everything the
 * answer depends on (the transport rules, the TLS files and the credential store, which is one object per command);
 * a failed ping is not kept, and an answer is forgotten after {@link #FRESH}, since a registry may be restarted with
 * other settings.
 */
final class Pings {
    static final Duration FRESH = Duration.ofMinutes(1);
    /** More registries than one run reaches: past it the stale answers are dropped rather than kept for ever. */
    private static final Recent<Key, Answer> ANSWERS = new Recent<>(FRESH, 64);

    private Pings() {}

    record Key(String registry, RegistrySettings.Transport transport, TlsFiles tls, CredentialStore credentials) {
        // Written out: a record's generated equals and hashCode are linked through method handles on first call,
        // which the start-up archives do not keep. The credential store is compared as the object it is.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && registry.equals(k.registry) && transport == k.transport && tls.equals(k.tls)
                    && credentials == k.credentials;
        }

        @Override
        public int hashCode() {
            return (registry.hashCode() * 31 + transport.hashCode()) * 31 + tls.hashCode();
        }
    }

    /** Where the registry answered, its challenge (null when it asked for no credentials), the tokens since. */
    record Answer(URI base, AuthChallenge challenge, TokenCache tokens) {}

    /** The answer for {@code key} from the last minute, or null. */
    static Answer recent(Key key) {
        return recent(key, System.nanoTime());
    }

    static Answer recent(Key key, long nowNanos) {
        return ANSWERS.get(key, nowNanos);
    }

    static void remember(Key key, URI base, AuthChallenge challenge, TokenCache tokens) {
        remember(key, base, challenge, tokens, System.nanoTime());
    }

    static void remember(Key key, URI base, AuthChallenge challenge, TokenCache tokens, long now) {
        ANSWERS.put(key, new Answer(base, challenge, tokens), now);
    }
}
