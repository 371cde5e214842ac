package dev.distrolix.registry;

import static dev.distrolix.testing.FaultProxy.bodyOver;
import static dev.distrolix.testing.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.Descriptor;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.Transports;
import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.FaultProxy.Fault;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected by a proxy in front of the real registry: the push completes, or fails with a
 * clear message — and what the registry then holds is never a corrupt image (skopeo re-hashes it).
 */
@IntegrationTest
class RegistryFaultsTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    static AssembledImage image;

    FaultProxy proxy;
    final List<PushEvent> events = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
        image = TestImages.image(shared.resolve("layers"), "faults", 3, 400_000);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @BeforeEach
    void startProxy() throws Exception {
        proxy = FaultProxy.start(registry.port());
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    RegistrySettings settings() {
        return RegistrySettings.defaults(Map.of(), tmp.resolve("home"))
                .withRetry(new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(10)))
                .withListener(events::add);
    }

    void push(String repo, RegistrySettings s) throws Exception {
        Transports.write(image, ImageReference.parse("docker://" + proxy.address() + "/" + repo + ":1"), s);
    }

    /** skopeo copies the image straight from the registry into a dir: and re-hashes every blob. */
    void assertIntact(String repo) throws Exception {
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/" + repo + ":1", tmp.resolve("check-" + repo));
    }

    @Test
    void injected500sAreRetried() throws Exception {
        proxy.inject(method("HEAD", "/blobs/"), new Fault.Respond(500, Map.of(), FaultProxy.errorBody("UNKNOWN", "boom")), 2)
                .inject(method("PATCH", "/blobs/uploads/"), new Fault.Respond(502, Map.of(), "bad gateway"), 2)
                .inject(method("PUT", "/manifests/"), new Fault.Respond(503, Map.of(), ""), 1);
        push("f500", settings());
        assertThat(proxy.count("injected")).isEqualTo(5);
        assertThat(events).filteredOn(e -> e instanceof PushEvent.Retrying).hasSize(5);
        assertIntact("f500");
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        proxy.inject(method("POST", "/blobs/uploads/"), new Fault.Respond(429, Map.of("Retry-After", "1"),
                FaultProxy.errorBody("TOOMANYREQUESTS", "slow down")), 1);
        long t0 = System.nanoTime();
        push("f429", settings());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(events).filteredOn(e -> e instanceof PushEvent.Retrying r && r.delay().equals(Duration.ofSeconds(1))
                && r.reason().contains("HTTP 429 TOOMANYREQUESTS: slow down")).hasSize(1);
        assertIntact("f429");
    }

    @Test
    void aConnectionResetMidBlobStartsThatBlobAgain() throws Exception {
        proxy.inject(method("PATCH", "/blobs/uploads/").and(bodyOver(100_000)), new Fault.ResetAfter(100_000), 2);
        push("freset", settings());
        assertThat(proxy.count("PATCH .* -> reset")).isEqualTo(2);
        assertThat(registry.blobUploads("freset")).isEqualTo(4);
        assertIntact("freset");
    }

    @Test
    void chunkedUploadsResumeNothingHalfDone() throws Exception {
        proxy.inject(method("PATCH", "/blobs/uploads/").and(bodyOver(10_000)), new Fault.ResetAfter(10_000), 1);
        push("fchunk", settings().withChunkSize(64 * 1024));
        // the 400 kB blob went up in 64 kB chunks with Content-Range
        assertThat(registry.countRequests("\"PATCH /v2/fchunk/blobs/uploads/\\S+ HTTP/1.1\" 202")).isGreaterThanOrEqualTo(7);
        assertIntact("fchunk");
    }

    @Test
    void aSlowRegistryStillGetsTheWholeImage() throws Exception {
        proxy.throttle(600_000);
        long t0 = System.nanoTime();
        push("fslow", settings());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(500));
        assertIntact("fslow");
    }

    @Test
    void aRegistryThatNeverAnswersInTimeFailsClearlyAndNoImageAppears() throws Exception {
        proxy.inject(method("PUT", "/blobs/uploads/"), new Fault.Delay(2_000), 100);
        RegistrySettings s = settings().withTimeout(Duration.ofSeconds(1))
                .withRetry(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)));
        assertThatThrownBy(() -> push("fhang", s))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(proxy.address() + "/fhang: completing the upload of blob sha256:")
                .hasMessageContaining(": PUT http://" + proxy.address() + "/v2/fhang/blobs/uploads/")
                .hasMessageEndingWith(": no answer for 1 s; gave up after 2 attempts");
        Thread.sleep(2_500); // let the delayed requests reach the registry, so we look at its final state
        assertThat(RealToolsCheck.skopeoInspectFails(registry.address() + "/fhang:1")).contains("manifest unknown");
    }

    @Test
    void persistentServerErrorsGiveUpWithTheRegistrysMessage() {
        proxy.inject(method("POST", "/blobs/uploads/"), new Fault.Respond(500, Map.of(),
                FaultProxy.errorBody("UNKNOWN", "disk on fire")), 100);
        assertThatThrownBy(() -> push("fdead", settings()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(proxy.address() + "/fdead: starting an upload: HTTP 500 UNKNOWN: disk on fire; "
                        + "gave up after 4 attempts");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PushEvent.BlobUpdate.class,
                u -> assertThat(u.state()).isEqualTo(PushEvent.State.FAILED)));
    }

    @Test
    void blobRedirectsAreFollowedWithoutOurAuthorization() throws Exception {
        try (RegistryServer basic = RegistryServer.in(tmp.resolve("basic")).htpasswd("bob", "builder").start();
             FaultProxy p = FaultProxy.start(basic.port())) {
            RegistrySettings s = settings().withInsecure(true)
                    .withExplicitCredentials(Credentials.basic("bob", "builder", "test"));
            Transports.write(image, ImageReference.parse("docker://" + p.address() + "/redir:1"), s);
            p.inject(method("GET", "/blobs/sha256:"), new Fault.RedirectTo("localhost"), 1);
            RegistryImageReader r = RegistryImageReader.open(RegistryRef.parse(p.address() + "/redir:1"), s);
            Descriptor layer = Descriptor.of(image.layers().get(0).mediaType(), image.layers().get(0).digest(),
                    image.layers().get(0).size());
            r.downloadBlob(layer, tmp.resolve("layer"));
            assertThat(Files.readAllBytes(tmp.resolve("layer"))).isEqualTo(Files.readAllBytes(image.blobs().get(0).file()));
            assertThat(p.log()).anyMatch(l -> l.startsWith("GET /v2/redir/blobs/sha256:") && l.endsWith("307 (injected) [auth]"));
            assertThat(p.log()).anyMatch(l -> l.contains("__storage=1 -> 200") && !l.contains("[auth]"));
        }
    }
}
