package dev.distrolix.registry;

import static dev.distrolix.testing.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.Digest;
import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.FaultProxy.Fault;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob uploaded while it is made (its digest known only at the end), against the real registry behind a
 * proxy that can break the upload: stored under its digest when it is whole, refused under another digest,
 * and a broken upload fails the writer at once instead of leaving it waiting.
 */
@IntegrationTest
class BlobStreamTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    FaultProxy proxy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
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

    Repository repo(String name) throws IOException {
        RegistrySettings s = RegistrySettings.defaults(Map.of(), tmp.resolve("home"))
                .withRetry(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(10)));
        return RegistryClient.connect(proxy.address(), s).repository(name, true);
    }

    static byte[] data(int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    /** Writes in uneven pieces, as a compressor does. */
    static void write(OutputStream out, byte[] b) throws IOException {
        int off = 0;
        for (int k = 1; off < b.length; k = k * 3 % 100_003 + 1) {
            int n = Math.min(k, b.length - off);
            out.write(b, off, n);
            off += n;
        }
    }

    @Test
    void aBlobStreamedAsItIsMadeIsStoredUnderItsDigest() throws Exception {
        Repository repo = repo("streamed");
        byte[] b = data(3_000_000);
        Digest d = Digest.sha256(b);
        try (BlobStream s = BlobStream.open(repo)) {
            write(s.out(), b);
            s.finish(d);
        }
        assertThat(repo.blobSize(d)).contains((long) b.length);
        try (InputStream in = repo.openBlob(d)) {
            assertThat(in.readAllBytes()).isEqualTo(b);
        }
        // one session, one PATCH with the whole body, one PUT with the digest
        assertThat(proxy.count("POST /v2/streamed/blobs/uploads/ -> 202")).isEqualTo(1);
        assertThat(proxy.count("PATCH /v2/streamed/blobs/uploads/\\S+ -> 202")).isEqualTo(1);
        assertThat(proxy.count("PUT /v2/streamed/blobs/uploads/\\S+ -> 201")).isEqualTo(1);
    }

    @Test
    void theRegistryRefusesTheBytesUnderAnotherDigest() throws Exception {
        Repository repo = repo("wrongdigest");
        byte[] b = data(100_000);
        Digest other = Digest.sha256(data(99_999));
        assertThatThrownBy(() -> {
            try (BlobStream s = BlobStream.open(repo)) {
                write(s.out(), b);
                s.finish(other);
            }
        }).isInstanceOf(RegistryException.class).hasMessageContaining(other.toString()).hasMessageContaining("DIGEST_INVALID");
        assertThat(repo.blobSize(other)).isEmpty();
        assertThat(repo.blobSize(Digest.sha256(b))).isEmpty();
    }

    @Test
    void aBrokenUploadFailsTheWriterAtOnce() throws Exception {
        Repository repo = repo("broken");
        proxy.inject(method("PATCH", "/blobs/uploads/"), new Fault.ResetAfter(200_000), 1);
        byte[] b = data(20_000_000);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> {
                    try (BlobStream s = BlobStream.open(repo)) {
                        write(s.out(), b);
                        s.finish(Digest.sha256(b));
                    }
                }).isInstanceOf(IOException.class));
        assertThat(proxy.count("PATCH .* -> reset")).isEqualTo(1);
        assertThat(repo.blobSize(Digest.sha256(b))).isEmpty();
    }
}
