package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ping's answer is given back for the same registry, transport rules, TLS files and credential store (the very
 * object) within a minute of it, and for nothing else.
 */
class PingsTest {
    final CredentialStore store = CredentialStore.of(Map.of(), Path.of("/nonexistent-home"));

    @Test
    void anAnswerIsForItsKeyAndForAMinute() {
        long now = 5_000_000_000L;
        String registry = "pings-test.example:" + System.nanoTime(); // a registry no other test remembers
        Pings.Key key = new Pings.Key(registry, RegistrySettings.Transport.HTTPS, TlsFiles.NONE, store);
        AuthChallenge challenge = AuthChallenge.parse(List.of("Bearer realm=\"https://auth.example/token\",service=\"r\""));
        TokenCache tokens = new TokenCache();
        Pings.remember(key, URI.create("https://" + registry), challenge, tokens, now);

        Pings.Answer a = Pings.recent(new Pings.Key(registry, RegistrySettings.Transport.HTTPS, TlsFiles.NONE, store),
                now + Pings.FRESH.toNanos() - 1);
        assertThat(a).isNotNull();
        assertThat(a.base()).isEqualTo(URI.create("https://" + registry));
        assertThat(a.challenge()).isEqualTo(challenge);
        assertThat(a.tokens()).as("the tokens are shared").isSameAs(tokens);
        assertThat(Pings.recent(key, now + Pings.FRESH.toNanos())).as("a minute on").isNull();

        CredentialStore another = CredentialStore.of(Map.of(), Path.of("/nonexistent-home"));
        assertThat(Pings.recent(new Pings.Key(registry, RegistrySettings.Transport.HTTPS, TlsFiles.NONE, another), now))
                .as("another credential store").isNull();
        assertThat(Pings.recent(new Pings.Key(registry, RegistrySettings.Transport.INSECURE, TlsFiles.NONE, store), now))
                .as("other transport rules").isNull();
        assertThat(Pings.recent(new Pings.Key(registry + "0", RegistrySettings.Transport.HTTPS, TlsFiles.NONE, store), now))
                .as("another registry").isNull();
    }
}
