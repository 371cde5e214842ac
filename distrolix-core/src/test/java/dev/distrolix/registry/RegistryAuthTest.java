package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.Transports;
import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import dev.distrolix.testing.TestCertificate;
import dev.distrolix.testing.TokenServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic (htpasswd), token (JWT) and TLS registries: the real registry decides, our client must cope. */
@IntegrationTest
class RegistryAuthTest {
    @TempDir
    static Path shared;
    static TestCertificate cert;
    static RegistryServer basic;
    static RegistryServer token;
    static RegistryServer tls;
    static TokenServer tokens;
    static AssembledImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        cert = TestCertificate.create(shared.resolve("cert"));
        basic = RegistryServer.in(shared.resolve("basic")).htpasswd("alice", "wonderland").start();
        tokens = TokenServer.start(cert).user("writer", "w-secret", "pull", "push").user("reader", "r-secret", "pull");
        token = RegistryServer.in(shared.resolve("token"))
                .token(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, cert.certPem()).start();
        tls = RegistryServer.in(shared.resolve("tls")).tls(cert.certPem(), cert.keyPem()).start();
        image = TestImages.image(shared.resolve("layers"), "auth", 2, 10_000);
    }

    @AfterAll
    static void stop() throws Exception {
        basic.close();
        token.close();
        tls.close();
        tokens.close();
    }

    /** No credentials from the environment or home: only what a test gives. */
    RegistrySettings settings(Credentials creds, boolean insecure) {
        CredentialStore store = CredentialStore.of(Map.of(), tmp.resolve("home"));
        if (creds != null) {
            store = store.withExplicit(creds);
        }
        return RegistrySettings.defaults(Map.of(), tmp.resolve("home")).withCredentials(store).withInsecure(insecure)
                .withRetry(new RetryPolicy(2, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50),
                        java.time.Duration.ofSeconds(5)));
    }

    static void push(RegistryServer r, String repo, RegistrySettings s) throws Exception {
        Transports.write(image, ImageReference.parse("docker://" + r.address() + "/" + repo + ":1"), s);
    }

    @Test
    void basicAuthPushesWithTheRightPassword() throws Exception {
        push(basic, "basic-ok", settings(Credentials.basic("alice", "wonderland", "test"), true));
        assertThat(basic.blobUploads("basic-ok")).isEqualTo(3);
        Fixtures.run("skopeo", "inspect", "--tls-verify=false", "--creds", "alice:wonderland",
                "docker://" + basic.address() + "/basic-ok:1");
    }

    @Test
    void wrongPasswordIsAClearUnauthorizedError() {
        assertThatThrownBy(() -> push(basic, "basic-bad", settings(Credentials.basic("alice", "nope", "--creds"), true)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(basic.address())
                .hasMessageContaining("HTTP 401 UNAUTHORIZED")
                .hasMessageContaining("rejected the credentials of 'alice' from --creds")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("nope"));
    }

    @Test
    void missingCredentialsSayWhereToGiveThem() {
        assertThatThrownBy(() -> push(basic, "basic-none", settings(null, true)))
                .hasMessageContaining("HTTP 401 UNAUTHORIZED")
                .hasMessageContaining("no credentials for " + basic.address());
    }

    @Test
    void credentialsAreNotSentOverPlainHttpWithoutInsecure() throws Exception {
        assertThatThrownBy(() -> push(basic, "basic-plain", settings(Credentials.basic("alice", "wonderland", "test"), false)))
                .hasMessageContaining("over plain HTTP")
                .hasMessageContaining("--insecure");
        assertThat(basic.countRequests("Authorization|alice")).isZero();
    }

    @Test
    void tokenAuthPushesAndCachesTokensPerScope() throws Exception {
        int before = tokens.requests().size();
        RegistrySettings writer = settings(Credentials.basic("writer", "w-secret", "test"), true);
        push(token, "tok-ok", writer);
        assertThat(token.blobUploads("tok-ok")).isEqualTo(3);
        // one token for the ping, one for repository:tok-ok:pull,push — not one per request
        assertThat(tokens.requests().subList(before, tokens.requests().size()))
                .containsExactly("writer ", "writer repository:tok-ok:pull,push");
        // another client of the same command (the same credential store) takes the ping's answer and the tokens
        // fetched since: a signature pushed beside the image asks for the same scope
        int second = tokens.requests().size();
        push(token, "tok-ok", writer.withParallelUploads(1));
        assertThat(tokens.requests().subList(second, tokens.requests().size())).isEmpty();
        // another command's store fetches its own
        int third = tokens.requests().size();
        push(token, "tok-ok", settings(Credentials.basic("writer", "w-secret", "test"), true));
        assertThat(tokens.requests().subList(third, tokens.requests().size()))
                .containsExactly("writer ", "writer repository:tok-ok:pull,push");
    }

    @Test
    void aMountAsksForPullOnTheSourceAndARejectedTokenIsRenewed() throws Exception {
        RegistrySettings writer = settings(Credentials.basic("writer", "w-secret", "test"), true)
                .withBlobCacheDir(tmp.resolve("cache"));
        try (FaultProxy proxy = FaultProxy.start(token.port())) {
            // (through the proxy both times: the blob cache knows registries by the address used)
            Transports.write(image, ImageReference.parse("docker://" + proxy.address() + "/tok-src:1"), writer);
            int before = tokens.requests().size();
            // the registry "forgets" the token once: the client must fetch a fresh one and go on
            proxy.inject(FaultProxy.method("HEAD", "/blobs/"), new FaultProxy.Fault.Respond(401,
                    java.util.Map.of("WWW-Authenticate", "Bearer realm=\"" + tokens.realm() + "\",service=\""
                            + TokenServer.SERVICE + "\",scope=\"repository:tok-dst:pull,push\""), ""), 1);
            Transports.write(image, ImageReference.parse("docker://" + proxy.address() + "/tok-dst:1"),
                    writer.withParallelUploads(1));
            assertThat(token.blobMounts("tok-dst")).isEqualTo(3);
            // the remembered location tok-src is mounted from at once (not asked first): the mount's token asks
            // for pull on it beside push on the target. The first push's ping answers for this one (the same
            // credential store, a minute at most): no ping, no token of no scope, the challenge already known
            assertThat(tokens.requests().subList(before, tokens.requests().size())).containsExactly(
                    "writer repository:tok-dst:pull,push", "writer repository:tok-dst:pull,push",
                    "writer repository:tok-dst:pull,push repository:tok-src:pull");
        }
    }

    @Test
    void aPullOnlyTokenIsRefusedWithAClearError() {
        assertThatThrownBy(() -> push(token, "tok-ro", settings(Credentials.basic("reader", "r-secret", "--creds"), true)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 401 UNAUTHORIZED")
                .hasMessageContaining("does not grant repository:tok-ro:pull,push (insufficient_scope)")
                .hasMessageContaining("'reader' from --creds");
    }

    @Test
    void anonymousTokensPullAndWrongPasswordsFailAtTheTokenService() throws Exception {
        push(token, "tok-pub", settings(Credentials.basic("writer", "w-secret", "test"), true));
        RegistryImageReader r = RegistryImageReader.open(RegistryRef.parse(token.address() + "/tok-pub:1"),
                settings(null, false));
        assertThat(r.manifest().digest()).isEqualTo(image.manifestDigest());
        assertThat(tokens.requests()).contains("- repository:tok-pub:pull");

        assertThatThrownBy(() -> push(token, "tok-bad", settings(Credentials.basic("writer", "bad", "--creds"), true)))
                .hasMessageContaining("getting a token from " + tokens.realm())
                .hasMessageContaining("HTTP 401 UNAUTHORIZED")
                .hasMessageContaining("rejected the credentials of 'writer' from --creds");
    }

    @Test
    void tlsIsVerifiedUnlessInsecure() throws Exception {
        assertThatThrownBy(() -> push(tls, "tls", settings(null, false)))
                .hasMessageContaining(tls.address())
                .hasMessageContaining("its TLS certificate is not trusted: put its CA certificate in")
                .hasMessageContaining("--cert-dir, or pass --insecure");
        push(tls, "tls", settings(null, true));
        assertThat(tls.blobUploads("tls")).isEqualTo(3);
    }
}
