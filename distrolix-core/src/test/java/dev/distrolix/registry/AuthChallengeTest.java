package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void bearerWithQuotedCommasAndAnError() {
        AuthChallenge c = AuthChallenge.parseOne("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:samalba/my-app:pull,push\",error=\"insufficient_scope\"");
        assertThat(c.isBearer()).isTrue();
        assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
        assertThat(c.service()).isEqualTo("registry.docker.io");
        assertThat(c.scope()).isEqualTo("repository:samalba/my-app:pull,push");
        assertThat(c.error()).isEqualTo("insufficient_scope");
    }

    @Test
    void basicAndUnknownSchemesAndPreferenceForBearer() {
        assertThat(AuthChallenge.parseOne("Basic realm=\"x\"").scheme()).isEqualTo("basic");
        assertThat(AuthChallenge.parseOne("Negotiate abc")).isNull();
        assertThat(AuthChallenge.parse(List.of("Basic realm=x", "bearer realm=\"r\", service=s")).isBearer()).isTrue();
        assertThat(AuthChallenge.parse(List.of("Negotiate"))).isNull();
        assertThat(AuthChallenge.parseOne("Bearer realm=\"a\\\"b\"").realm()).isEqualTo("a\"b");
    }
}
