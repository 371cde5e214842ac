package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.registry.PushEvent;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.registry.RetryPolicy;
import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import dev.distrolix.transport.ImageReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh runner's early registry read, against the real registry behind a proxy that answers its first manifest
 * request with a 503: the registry client's retry is said only once the build takes the read up (never before the
 * spec's line), and then once.
 */
@IntegrationTest
class EarlyRegistryReadRetriesTest {
    @TempDir
    Path tmp;

    @Test
    void aRetryIsSaidOnlyOnceTheBuildTakesTheReadUp() throws Exception {
        try (RegistryServer registry = RegistryServer.in(tmp.resolve("registry")).start();
             FaultProxy proxy = FaultProxy.start(registry.port())) {
            proxy.inject(FaultProxy.method("GET", "/manifests/"), new FaultProxy.Fault.Respond(503, Map.of(), ""), 1);
            List<PushEvent> events = new CopyOnWriteArrayList<>();
            RegistrySettings settings = RegistrySettings.defaults(Map.of(), tmp.resolve("home"))
                    .withListener(events::add)
                    .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(5)));
            ImageReference target = ImageReference.parseTarget("docker://" + proxy.address() + "/app:1");
            try (RegistryLayers.Lazy early = RegistryLayers.early(target, null, tmp.resolve("cache"), List.of(),
                    settings, BuildListener.NONE)) {
                assertThat(early).isNotNull();
                early.get(); // the read has ended: a 503, retried, then the registry's 404 (no such image yet)
                assertThat(proxy.count("GET .*/manifests/")).isGreaterThanOrEqualTo(2);
                assertThat(events).isEmpty();
                early.adopted();
                assertThat(events).hasSize(1).first().isInstanceOf(PushEvent.Retrying.class);
            }
        }
    }
}
