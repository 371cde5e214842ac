package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void perScopeSetUntilShortlyBeforeExpiryAndUntilRejected() {
        MutableClock clock = new MutableClock();
        TokenCache c = new TokenCache(clock);
        String push = TokenCache.key("https://a/token", "reg", List.of("repository:x:pull,push"));
        String mount = TokenCache.key("https://a/token", "reg", List.of("repository:y:pull", "repository:x:pull,push"));
        assertThat(mount).isEqualTo(TokenCache.key("https://a/token", "reg",
                List.of("repository:x:pull,push", "repository:y:pull")));
        c.put(push, "t1", Duration.ofSeconds(60), null);
        assertThat(c.get(push)).contains("t1");
        assertThat(c.get(mount)).isEmpty();
        clock.now = clock.now.plusSeconds(49);
        assertThat(c.get(push)).contains("t1");
        clock.now = clock.now.plusSeconds(2); // within the 10 s margin of expiry
        assertThat(c.get(push)).isEmpty();
        c.put(push, "t2", Duration.ofSeconds(300), clock.now);
        c.invalidate(push, "other");
        assertThat(c.get(push)).contains("t2");
        c.invalidate(push, "t2");
        assertThat(c.get(push)).isEmpty();
    }
}
