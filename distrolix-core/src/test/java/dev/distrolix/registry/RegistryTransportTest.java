package dev.distrolix.registry;

import static dev.distrolix.testing.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.Transports;
import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.FaultProxy.Fault;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a loopback registry is reached: plain HTTP first (no TLS set up, no handshake the server
 * must refuse), the HTTPS-first sequence when plain HTTP gets no registry answer. A proxy in
 * front of the real registry sees every connection (it speaks plain HTTP only, like the registry).
 */
@IntegrationTest
class RegistryTransportTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    static AssembledImage image;

    FaultProxy proxy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
        image = TestImages.image(shared.resolve("layers"), "transport", 2, 10_000);
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
                .withRetry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(10)));
    }

    ImageReference target(String repo) {
        return ImageReference.parse("docker://" + proxy.address() + "/" + repo + ":1");
    }

    /** As a build does it: the fail-fast check, then the push (which takes the check's ping as its own). */
    void checkThenPush(String repo) throws Exception {
        RegistrySettings s = settings();
        Transports.checkWritable(target(repo), s);
        Transports.write(image, target(repo), s);
    }

    @Test
    void aPlainHttpRegistryOnLoopbackIsNeverOfferedTls() throws Exception {
        checkThenPush("plain");
        assertThat(proxy.tlsHellos()).as("TLS handshakes tried").isZero();
        assertThat(proxy.count("^GET /v2/ -> 200$")).as(proxy.log().toString()).isEqualTo(1);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/plain:1", tmp.resolve("check"));
    }

    @Test
    void aClientsSelectorThreadEndsWhenStoppedAsAtExit() throws Exception {
        // the JVM waits ~0.3 s at exit for a thread in native code, which a live selector thread is
        Http http = new Http(true, Duration.ofSeconds(5), "distrolix-test");
        HttpResponse<Void> r = http.send(Http.Call.of("GET", URI.create("http://" + registry.address() + "/v2/"),
                Duration.ofSeconds(5)), null, HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(http.threads()).as("the client's threads are in its group").isNotEmpty()
                .allMatch(Thread::isDaemon);
        http.stopThreads();
        for (Thread t : http.threads()) {
            t.join(1000);
        }
        assertThat(http.threads()).as("alive after the stop").isEmpty();
    }

    @Test
    void noRegistryAnswerOverPlainHttpFallsBackToHttpsFirst() throws Exception {
        // what a TLS port answers to a plain request; then HTTPS (refused by this plain server), then HTTP
        proxy.inject(method("GET", "^/v2/$"), new Fault.Respond(400, Map.of(), "Client sent an HTTP request to an HTTPS server."), 1);
        RegistrySettings s = settings();
        Transports.checkWritable(target("fallback"), s);
        int hellos = proxy.tlsHellos();
        assertThat(hellos).as("the HTTPS attempt").isPositive();
        Transports.write(image, target("fallback"), s);
        assertThat(proxy.tlsHellos()).as("none for the push's own connection").isEqualTo(hellos);
        assertThat(proxy.count("^GET /v2/ -> 400 \\(injected\\)$")).isEqualTo(1);
        assertThat(proxy.count("^GET /v2/ -> 200$")).as(proxy.log().toString()).isEqualTo(1);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/fallback:1", tmp.resolve("check"));
    }

    @Test
    void aRegistryErrorToTheFirstPingIsRetriedThroughTheHttpsFirstSequence() throws Exception {
        // a 503 is not an answer to stop on: the usual sequence retries it (after its HTTPS attempt)
        proxy.inject(method("GET", "^/v2/$"), new Fault.Respond(503, Map.of(), FaultProxy.errorBody("UNAVAILABLE", "busy")), 2);
        checkThenPush("busy");
        assertThat(proxy.tlsHellos()).isPositive();
        assertThat(proxy.count("^GET /v2/ -> 503 \\(injected\\)$")).isEqualTo(2);
        assertThat(proxy.count("^GET /v2/ -> 200$")).as(proxy.log().toString()).isEqualTo(1);
    }

    @Test
    void aPushStartsFromThisRunsReadOfItsTagWhereItHoldsAnotherImageAndReadsItAgainWhereItHoldsThisOne()
            throws Exception {
        AssembledImage before = TestImages.image(tmp.resolve("before"), "tag-read", 2, 1_000);
        Transports.write(before, ImageReference.parse("docker://" + registry.address() + "/tagread:1"), settings());
        String tagGet = "^GET /v2/tagread/manifests/1 -> ";
        // as a fresh runner does it: the target's image read (for its layers), then the push of the new image
        RegistrySettings s = settings();
        String ref = "docker://" + proxy.address() + "/tagread:1";
        try (dev.distrolix.transport.OpenedImage h = Transports.open(ref, s)) {
            assertThat(h.image().manifestDigest()).isEqualTo(before.manifestDigest());
        }
        assertThat(proxy.count(tagGet)).isEqualTo(1);
        Transports.write(image, target("tagread"), s);
        assertThat(proxy.count(tagGet)).as(proxy.log().toString()).isEqualTo(1);
        assertThat(proxy.count("^PUT /v2/tagread/manifests/1 -> 201$")).isEqualTo(1);
        // the tag now holds this image (as pushed): that ends a push only when read again
        Transports.write(image, target("tagread"), s);
        assertThat(proxy.count(tagGet)).as(proxy.log().toString()).isEqualTo(2);
        assertThat(proxy.count("^PUT /v2/tagread/manifests/1 -> 201$")).as("unchanged: nothing pushed").isEqualTo(1);
        RealToolsCheck.skopeoCopyVerifies(registry.address() + "/tagread:1", tmp.resolve("check"));
    }

    @Test
    void anImagesConfigAndLayersAreAskedAboutInOneRoundBeforeTheConfigIsRead() throws Exception {
        Transports.write(image, ImageReference.parse("docker://" + registry.address() + "/asked:1"), settings());
        try (dev.distrolix.transport.OpenedImage h = Transports.open("docker://" + proxy.address() + "/asked:1",
                settings())) {
            assertThat(h.image().layers()).hasSize(image.layers().size());
        }
        java.util.List<String> log = proxy.log();
        int configGet = log.indexOf("GET /v2/asked/blobs/" + image.configDigest() + " -> 200");
        assertThat(configGet).as(log.toString()).isPositive();
        // before, the config's HEAD and GET came first and the layers' HEADs a round trip later
        assertThat(log.subList(0, configGet)).as(log.toString())
                .filteredOn(l -> l.startsWith("HEAD /v2/asked/blobs/")).hasSize(image.layers().size() + 1);
        assertThat(log.subList(configGet, log.size())).as(log.toString()).noneMatch(l -> l.startsWith("HEAD "));
    }

    @Test
    void aRegistryIsPingedOncePerCredentialStoreAndAFailedPingIsNotRemembered() throws Exception {
        // a build's early read of its target, its push and its signatures each connect: one round trip is enough
        RegistrySettings s = settings();
        String host = proxy.address();
        RegistryClient.connect(host, s);
        RegistryClient.connect(host, s.withParallelUploads(1).withListener(PushListener.NONE)); // same store
        assertThat(proxy.count("^GET /v2/ ")).as(proxy.log().toString()).isEqualTo(1);
        // another command's settings (another credential store) ask again
        RegistryClient.connect(host, settings());
        assertThat(proxy.count("^GET /v2/ ")).as(proxy.log().toString()).isEqualTo(2);
        // a ping that fails is not an answer: the next client pings again, and goes on from there
        RegistrySettings once = settings().withRetry(RetryPolicy.NONE);
        proxy.inject(method("GET", "^/v2/$"), new Fault.Respond(503, Map.of(), FaultProxy.errorBody("UNAVAILABLE", "busy")), 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistryClient.connect(host, once))
                .isInstanceOf(RegistryException.class);
        Repository repo = RegistryClient.connect(host, once).repository("pinged", true);
        assertThat(repo.blobSize(image.layers().get(0).digest())).isEmpty();
        assertThat(proxy.count("^GET /v2/ -> 200$")).as(proxy.log().toString()).isEqualTo(3);
    }
}
