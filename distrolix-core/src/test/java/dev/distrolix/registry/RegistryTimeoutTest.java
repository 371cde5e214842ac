package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.json.Mappers;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded time against servers that misbehave: each failure comes within its limit (small ones
 * here), is one line naming method and URL, and is a RegistryException.
 */
class RegistryTimeoutTest {
    static final Digest BLOB = Digest.sha256(new byte[] {1});
    static final Map<String, String> OCI = Map.of("Content-Type", MediaTypes.OCI_MANIFEST);

    @TempDir
    Path tmp;

    RegistrySettings settings() {
        return RegistrySettings.defaults(Map.of(), tmp.resolve("home")).withRetry(RetryPolicy.NONE)
                .withTimeout(Duration.ofSeconds(1)).withStallTimeout(Duration.ofSeconds(1));
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void sleepForever() throws InterruptedException {
        Thread.sleep(60_000);
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsAfterTheAnswerTimeout() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> sleepForever())) {
            Repository repo = RegistryClient.connect(s.address(), settings()).repository("r", false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> repo.getManifest("1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET http://" + s.address() + "/v2/r/manifests/1: no answer for 1 s")
                    .hasMessageNotContaining("\n");
            long took = millisSince(start);
            System.out.println("never answers: failed after " + took + " ms (limit 1 s)");
            assertThat(took).isBetween(900L, 2500L);
        }
    }

    @Test
    void aServerThatStopsSendingAManifestFailsAfterTheStallTimeout() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> {
            StubRegistry.head(out, 200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST, "Content-Length", "100"));
            out.write("{\"schemaVersion\"".getBytes());
            out.flush();
            sleepForever();
        })) {
            Repository repo = RegistryClient.connect(s.address(), settings()).repository("r", false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> repo.getManifest("1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET http://" + s.address() + "/v2/r/manifests/1: no data for 1 s");
            long took = millisSince(start);
            System.out.println("stalled manifest: failed after " + took + " ms (stall limit 1 s)");
            assertThat(took).isBetween(900L, 2500L);
        }
    }

    @Test
    void aBlobThatDripsOneBytePerSecondFailsAtTheOverallTimeout() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> {
            StubRegistry.head(out, 200, Map.of("Content-Length", "1000"));
            for (int i = 0; i < 1000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(1000);
            }
        })) {
            RegistrySettings st = settings().withStallTimeout(Duration.ofSeconds(2)).withDeadline(Duration.ofSeconds(3));
            Repository repo = RegistryClient.connect(s.address(), st).repository("r", false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                try (InputStream in = repo.openBlob(BLOB)) {
                    in.readAllBytes();
                }
            }).hasMessageContaining("GET http://" + s.address() + "/v2/r/blobs/" + BLOB + ": the --timeout of 3 s has passed");
            long took = millisSince(start);
            System.out.println("dripping blob: failed after " + took + " ms (--timeout 3 s, counted from the ping)");
            assertThat(took).isLessThan(3500L);
        }
    }

    @Test
    void aManifestThatDripsFailsAtTheOverallTimeoutAsARegistryException() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> {
            StubRegistry.head(out, 200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST, "Content-Length", "1000"));
            for (int i = 0; i < 1000; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(500);
            }
        })) {
            RegistrySettings st = settings().withDeadline(Duration.ofSeconds(2));
            Repository repo = RegistryClient.connect(s.address(), st).repository("r", false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> repo.getManifest("1")).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET http://" + s.address() + "/v2/r/manifests/1: the --timeout of 2 s has passed");
            long took = millisSince(start);
            System.out.println("dripping manifest: failed after " + took + " ms (--timeout 2 s)");
            assertThat(took).isLessThan(2500L);
        }
    }

    @Test
    void retriesDoNotRunPastTheOverallTimeout() throws Exception {
        // a registry that keeps answering 503 slowly: worth retrying, until the --timeout says stop
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> {
            Thread.sleep(300);
            StubRegistry.respond(out, 503, Map.of(), new byte[0]);
        })) {
            RegistrySettings st = settings()
                    .withRetry(new RetryPolicy(10, Duration.ofMillis(400), Duration.ofSeconds(1), Duration.ofSeconds(10)))
                    .withDeadline(Duration.ofMillis(3500));
            Repository repo = RegistryClient.connect(s.address(), st).repository("r", false);
            long start = System.nanoTime();
            // either the retry that would start too late is not made (the last answer, 503, is reported), or the
            // deadline passes during the 300 ms an attempt waits for its answer: which one is a matter of timing
            assertThatThrownBy(() -> repo.getManifest("1")).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("reading manifest 1: ")
                    .hasMessageContaining("--timeout of 3.5 s")
                    .satisfiesAnyOf(e -> assertThat(e).hasMessageContaining("HTTP 503"),
                            e -> assertThat(e).hasMessageContaining("the --timeout of 3.5 s has passed"));
            long took = millisSince(start);
            System.out.println("retries under a 3.5 s --timeout: failed after " + took + " ms");
            assertThat(took).isLessThan(4000L);
        }
    }

    @Test
    void aServerThatNeverAnswersIsTriedTwiceNotTenTimes() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> sleepForever())) {
            RegistrySettings st = settings()
                    .withRetry(new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)));
            Repository repo = RegistryClient.connect(s.address(), st).repository("r", false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> repo.getManifest("1")).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET http://" + s.address() + "/v2/r/manifests/1")
                    .hasMessageContaining("gave up after 2 attempts");
            long took = millisSince(start);
            assertThat(took).as("two timeouts, not ten").isLessThan(5000L);
        }
    }

    @Test
    void aServerThatStopsReadingAnUploadFailsAfterTheStallTimeout() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> {
            if (m.equals("POST")) {
                StubRegistry.skipBody(h, in);
                StubRegistry.respond(out, 202, Map.of("Location", "/v2/r/blobs/uploads/u1"), new byte[0]);
            } else {
                sleepForever(); // the PATCH: its body is never read
            }
        })) {
            Repository repo = RegistryClient.connect(s.address(), settings()).repository("r", true);
            byte[] blob = new byte[64 << 20];
            Digest d = Digest.sha256(blob);
            AtomicLong sent = new AtomicLong();
            long start = System.nanoTime();
            assertThatThrownBy(() -> new BlobUploader(repo, 0).upload(d, blob.length, BlobContent.of(blob), null,
                    sent::addAndGet))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("PATCH http://" + s.address() + "/v2/r/blobs/uploads/u1: "
                            + "the server stopped taking the request body (no progress for 1 s)");
            long took = millisSince(start);
            System.out.println("upload not read: failed after " + took + " ms (stall limit 1 s), "
                    + sent.get() + " bytes taken by the client");
            assertThat(took).isLessThan(3000L);
            assertThat(sent.get()).isLessThan(blob.length);
        }
    }

    @Test
    void aHugeManifestIsRefusedAfterTheCapWithBoundedMemory() throws Exception {
        AtomicLong written = new AtomicLong();
        try (StubRegistry s = StubRegistry.start((m, p, h, in, out) -> {
            boolean declared = p.endsWith("/declared");
            StubRegistry.head(out, 200, declared
                    ? Map.of("Content-Type", MediaTypes.OCI_MANIFEST, "Content-Length", String.valueOf(1L << 30))
                    : Map.of("Content-Type", MediaTypes.OCI_MANIFEST, "Connection", "close")); // until EOF
            byte[] chunk = new byte[1 << 16];
            Arrays.fill(chunk, (byte) ' ');
            for (long n = 0; n < 1L << 30; n += chunk.length) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        })) {
            Repository repo = RegistryClient.connect(s.address(), settings()).repository("r", false);
            for (String ref : new String[] {"declared", "undeclared"}) {
                written.set(0);
                long start = System.nanoTime();
                assertThatThrownBy(() -> repo.getManifest(ref)).isInstanceOf(RegistryException.class)
                        .hasMessageContaining("GET http://" + s.address() + "/v2/r/manifests/" + ref)
                        .hasMessageContaining("than the " + Mappers.MAX_DOCUMENT + " bytes a registry document may have")
                        .hasMessageNotContaining("attempts");
                long took = millisSince(start);
                System.out.println("1 GiB manifest (" + ref + " length): refused after " + took + " ms, "
                        + written.get() + " bytes written by the server");
                assertThat(took).isLessThan(3000L);
                assertThat(written.get()).isLessThan(64L << 20);
            }
        }
    }
}
