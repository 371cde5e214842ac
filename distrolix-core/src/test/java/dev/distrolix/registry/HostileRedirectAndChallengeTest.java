package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry on 127.0.0.1 (plain HTTP allowed there) that redirects to plain HTTP on another host, or answers with a
 * Bearer challenge that names no realm: both end in one clear error; neither is followed nor crashes.
 */
class HostileRedirectAndChallengeTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String mode;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            if (mode.equals("bare-bearer")) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                exchange.sendResponseHeaders(401, -1);
            } else if (path.equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
            } else if (mode.equals("loop")) {
                exchange.getResponseHeaders().add("Location", path);
                exchange.sendResponseHeaders(302, -1);
            } else {
                // 192.0.2.0/24 is TEST-NET-1: nothing answers there
                exchange.getResponseHeaders().add("Location", "http://192.0.2.7:5000" + path);
                exchange.sendResponseHeaders(302, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String ref() {
        return "docker://127.0.0.1:" + server.getAddress().getPort() + "/app:1";
    }

    @Test
    void aRedirectToPlainHttpOnAnotherHostIsNotFollowed() {
        mode = "redirect";
        long start = System.nanoTime();
        assertThatThrownBy(() -> Transports.open(ref(), RegistrySettings.defaults()).close())
                .isInstanceOfAny(IOException.class, dev.distrolix.DistrolixException.class)
                .hasMessageContaining("the registry redirected to plain HTTP at 192.0.2.7, which is not followed");
        assertThat((System.nanoTime() - start) / 1e9).as("no connection to the other host was tried").isLessThan(5);
    }

    @Test
    void aRedirectLoopIsSaidToBeOneAndNotRetried() {
        mode = "loop";
        assertThatThrownBy(() -> Transports.open(ref(), RegistrySettings.defaults()).close())
                .isInstanceOfAny(IOException.class, dev.distrolix.DistrolixException.class)
                .hasMessageContaining("the registry redirected 6 times (last to /v2/app/manifests/1), more than are"
                        + " followed: a loop?");
        assertThat(requests.get()).as("the ping, then six tries of the manifest, not six times that").isLessThan(12);
    }

    @Test
    void aBearerChallengeWithoutARealmIsAClearError() {
        mode = "bare-bearer";
        assertThatThrownBy(() -> Transports.open(ref(), RegistrySettings.defaults()).close())
                .isInstanceOfAny(IOException.class, dev.distrolix.DistrolixException.class)
                .hasMessageContaining("the registry's Bearer challenge has no usable realm (null)");
        assertThat(requests.get()).isPositive();
    }

    @Test
    void loopbackIsKnownInEverySpellingOfItsAddressAndNothingElseIs() {
        RegistrySettings s = RegistrySettings.defaults();
        for (String local : new String[] {"localhost:5000", "127.0.0.1:5000", "127.8.9.10", "[::1]:5000",
                "[0:0:0:0:0:0:0:1]:5000", "[0000:0000:0000:0000:0000:0000:0000:0001]", "[::ffff:127.0.0.1]:5000"}) {
            assertThat(s.transport(local)).as(local).isEqualTo(RegistrySettings.Transport.HTTPS_OR_HTTP);
        }
        for (String remote : new String[] {"registry.example:5000", "[2001:db8::1]:5000", "[::2]", "[::ffff:10.0.0.1]",
                "localhost.example.com", "127.0.0.1.example.com", "[::1%lo]:5000"}) {
            assertThat(s.transport(remote)).as(remote).isEqualTo(RegistrySettings.Transport.HTTPS);
        }
    }
}
