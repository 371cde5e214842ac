package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * One attempt at uploading a blob into an open session (the caller retries whole attempts):
 * <ul>
 *   <li><b>monolithic</b>, for a blob of at most {@link #MONOLITHIC_MAX} bytes (a config, a small layer, a
 *       signature or attestation): one {@code PUT ?digest=} with the body, as the distribution spec says every
 *       registry must take: for a small blob the round trip is most of its cost, and a {@code PATCH} is one more;
 *   <li><b>streamed</b> (larger blobs, what go-containerregistry does): one {@code PATCH} with the
 *       whole body and its length, then {@code PUT ?digest=};
 *   <li><b>chunked</b>, when the settings ask for it or the registry announces
 *       {@code OCI-Chunk-Min-Length}: {@code PATCH}es with {@code Content-Range: start-end},
 *       always to the newest {@code Location}, then {@code PUT ?digest=}.
 * </ul>
 * The registry checks the digest on the final PUT, so a corrupted transfer fails there and is
 * retried, never stored.
 */
final class BlobUploader {
    /** The largest blob sent in its {@code PUT}; larger ones go up as before, in a {@code PATCH}. */
    static final long MONOLITHIC_MAX = 256 * 1024;
    /** Uploads may take long: allow this rate at least before a request times out. */
    private static final long MIN_BYTES_PER_SECOND = 32 * 1024;

    private final Repository repo;
    private final long chunkSize;

    BlobUploader(Repository repo, long chunkSize) {
        this.repo = repo;
        this.chunkSize = chunkSize;
    }

    void upload(Digest digest, long size, BlobContent content, Repository.UploadStart session, LongConsumer progress)
            throws IOException {
        Repository.UploadStart s = session != null ? session : repo.startUploadOnce();
        long chunk = Math.max(chunkSize, s.minChunk());
        URI location = s.location();
        if (chunk <= 0 && size <= MONOLITHIC_MAX) {
            put(repo, location, digest, () -> body(content, 0, size, progress), uploadTimeout(size));
            return;
        }
        if (chunk <= 0 || chunk >= size) {
            location = patch(location, digest, content, 0, size, false, progress);
        } else {
            for (long offset = 0; offset < size; offset += chunk) {
                long len = Math.min(chunk, size - offset);
                location = patch(location, digest, content, offset, len, true, progress);
            }
        }
        finish(repo, location, digest);
    }

    private URI patch(URI location, Digest digest, BlobContent content, long offset, long len, boolean ranged,
                      LongConsumer progress) throws IOException {
        String what = "uploading blob " + digest;
        Map<String, String> headers = ranged
                ? Map.of("Content-Type", "application/octet-stream", "Content-Range", offset + "-" + (offset + len - 1))
                : Map.of("Content-Type", "application/octet-stream");
        Http.Call call = new Http.Call("PATCH", location, headers, () -> body(content, offset, len, progress),
                uploadTimeout(len));
        HttpResponse<byte[]> r = repo.sendOnce(call, what);
        if (r.statusCode() != 202 && r.statusCode() != 204) {
            throw repo.client().failure(repo.name(), what, r, r.body(), repo.scopes());
        }
        return r.headers().firstValue("Location").map(l -> repo.client().resolve(l)).orElse(location);
    }

    /** {@code PUT ?digest=} on the session's newest location: the registry checks the bytes against the digest. */
    static void finish(Repository repo, URI location, Digest digest) throws IOException {
        put(repo, location, digest, HttpRequest.BodyPublishers::noBody, repo.timeout());
    }

    /** {@code PUT ?digest=} with {@code body} (none after PATCHes; the whole blob in a monolithic upload). */
    private static void put(Repository repo, URI location, Digest digest,
                            java.util.function.Supplier<HttpRequest.BodyPublisher> body, Duration timeout)
            throws IOException {
        String what = "completing the upload of blob " + digest;
        String sep = location.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(location + sep + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = repo.sendOnce(new Http.Call("PUT", put,
                Map.of("Content-Type", "application/octet-stream"), body, timeout), what);
        if (r.statusCode() != 201 && r.statusCode() != 204) {
            throw repo.client().failure(repo.name(), what, r, r.body(), repo.scopes());
        }
        String stored = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (stored != null && !stored.equals(digest.toString())) {
            throw RegistryException.of(repo.client().registry(), repo.name(), what,
                    "the registry stored " + stored + " instead", null);
        }
    }

    private Duration uploadTimeout(long len) {
        return repo.timeout().plusSeconds(len / MIN_BYTES_PER_SECOND);
    }

    /** A fresh body per send: {@code len} bytes from {@code offset}, counted as they go out. */
    private static HttpRequest.BodyPublisher body(BlobContent content, long offset, long len, LongConsumer progress) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new Counting(content.open(offset), len, progress);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), len);
    }

    /** Stops at {@code limit} bytes and reports each read to {@code progress}. */
    private static final class Counting extends FilterInputStream {
        private long left;
        private final LongConsumer progress;

        Counting(InputStream in, long limit, LongConsumer progress) {
            super(in);
            this.left = limit;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
                progress.accept(n);
            }
            return n;
        }
    }
}
