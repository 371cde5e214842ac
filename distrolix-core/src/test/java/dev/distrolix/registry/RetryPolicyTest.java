package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpHeaders;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    static RegistryException status(int s, Duration retryAfter) {
        return new RegistryException("r", "x", "doing", s, null, null, null, retryAfter, null);
    }

    @Test
    void whatIsWorthAnotherTry() {
        for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
            assertThat(RetryPolicy.isRetryable(status(s, null))).as("%d", s).isTrue();
        }
        for (int s : new int[] {400, 401, 403, 404, 416, 501, 505}) {
            assertThat(RetryPolicy.isRetryable(status(s, null))).as("%d", s).isFalse();
        }
        assertThat(RetryPolicy.isRetryable(new SocketException("Connection reset"))).isTrue();
        assertThat(RetryPolicy.isRetryable(new java.net.http.HttpTimeoutException("timed out"))).isTrue();
        assertThat(RetryPolicy.isRetryable(new java.io.InterruptedIOException("stop"))).isFalse();
        assertThat(RetryPolicy.isRetryable(new SSLHandshakeException("no TLS here"))).isFalse();
        SSLHandshakeException closed = new SSLHandshakeException("Remote host terminated the handshake");
        closed.initCause(new java.io.EOFException());
        assertThat(RetryPolicy.isRetryable(closed)).as("a server that is not TLS at all").isFalse();
        SSLException reset = new SSLException("broken", new SocketException("Connection reset"));
        assertThat(RetryPolicy.isRetryable(reset)).isTrue();
        assertThat(RetryPolicy.isRetryable(new IOException(new SSLException("x", new CertificateException("untrusted")))))
                .isFalse();
    }

    @Test
    void backoffGrowsWithJitterAndRetryAfterIsHonoured() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350), Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            assertThat(p.delay(1, new IOException())).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(p.delay(3, new IOException())).isBetween(Duration.ofMillis(175), Duration.ofMillis(350));
        }
        assertThat(p.delay(1, status(429, Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(p.delay(1, status(429, Duration.ofSeconds(31)))).isNull();
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "3"))).isEqualTo(Duration.ofSeconds(3));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", inTenSeconds)))
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "soon"))).isNull();
        assertThat(RetryPolicy.retryAfter(headers("X", "1"))).isNull();
    }

    @Test
    void runStopsAtTheFirstAnswerAndSaysWhenItGaveUp() throws IOException {
        RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(1));
        AtomicInteger calls = new AtomicInteger();
        String result = p.run(a -> {
            if (calls.incrementAndGet() < 3) {
                throw status(503, null);
            }
            return "ok";
        }, RetryPolicy.Listener.NONE);
        assertThat(result).isEqualTo("ok");
        assertThatThrownBy(() -> p.run(a -> {
            throw status(500, null);
        }, RetryPolicy.Listener.NONE)).hasMessage("r/x: doing: HTTP 500; gave up after 3 attempts");
        calls.set(0);
        assertThatThrownBy(() -> p.run(a -> {
            calls.incrementAndGet();
            throw status(404, null);
        }, RetryPolicy.Listener.NONE)).hasMessage("r/x: doing: HTTP 404");
        assertThat(calls).hasValue(1);
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }
}
