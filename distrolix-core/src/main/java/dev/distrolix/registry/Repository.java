package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One repository of a registry: blob existence (HEAD), cross-repository mounts, manifests in
 * and out, blobs out. Public operations retry per the settings' {@link RetryPolicy}; the
 * {@code …Once} ones (for the uploader, which retries whole sequences) try once.
 */
public final class Repository {
    private final RegistryClient client;
    private final String name;
    private final List<String> scopes;

    Repository(RegistryClient client, String name, boolean push) {
        this.client = client;
        this.name = name;
        this.scopes = List.of("repository:" + name + ":" + (push ? "pull,push" : "pull"));
    }

    public String name() {
        return name;
    }

    public RegistryClient client() {
        return client;
    }

    List<String> scopes() {
        return scopes;
    }

    URI url(String suffix) {
        return client.resolve("/v2/" + name + suffix);
    }

    /** The blob's size if the repository has it. */
    public Optional<Long> blobSize(Digest digest) throws IOException {
        return client.settings().retry().run(a -> blobSizeOnce(digest), client.retryListener(digest));
    }

    Optional<Long> blobSizeOnce(Digest digest) throws IOException {
        String what = "checking blob " + digest;
        HttpResponse<byte[]> r = send(Http.Call.of("HEAD", url("/blobs/" + digest), timeout()), scopes, what);
        if (r.statusCode() == 200) {
            return Optional.of(r.headers().firstValueAsLong("Content-Length").orElse(-1));
        }
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        throw client.failure(name, what, r, r.body(), scopes);
    }

    /** An upload session, or a completed mount. */
    record UploadStart(boolean mounted, URI location, long minChunk) {}

    /** {@code POST …/uploads/}: opens an upload session. */
    UploadStart startUploadOnce() throws IOException {
        return post(url("/blobs/uploads/"), scopes, "starting an upload");
    }

    /** {@code POST …/uploads/?mount=D&from=R}: 201 = mounted; 202 = an ordinary session instead. */
    UploadStart mountOnce(Digest digest, String from) throws IOException {
        List<String> s = new ArrayList<>(scopes);
        s.add("repository:" + from + ":pull");
        URI uri = url("/blobs/uploads/?mount=" + enc(digest.toString()) + "&from=" + enc(from));
        return post(uri, s, "mounting blob " + digest + " from " + from);
    }

    private UploadStart post(URI uri, List<String> s, String what) throws IOException {
        HttpResponse<byte[]> r = send(Http.Call.of("POST", uri, timeout()), s, what);
        if (r.statusCode() == 201) {
            return new UploadStart(true, null, 0);
        }
        if (r.statusCode() == 202) {
            String location = r.headers().firstValue("Location").orElseThrow(() ->
                    RegistryException.of(client.registry(), name, what, "the 202 answer has no Location", null));
            long min = r.headers().firstValueAsLong("OCI-Chunk-Min-Length").orElse(0);
            return new UploadStart(false, client.resolve(location), min);
        }
        throw client.failure(name, what, r, r.body(), s);
    }

    /**
     * {@code PUT /v2/NAME/manifests/REF} with the manifest's own media type; checks that the
     * registry's {@code Docker-Content-Digest} is the digest of the bytes we sent.
     */
    public void putManifest(String reference, ManifestBytes m) throws IOException {
        String what = "pushing manifest " + reference;
        byte[] body = m.bytes();
        Http.Call call = new Http.Call("PUT", url("/manifests/" + reference), Map.of("Content-Type", m.mediaType()),
                () -> HttpRequest.BodyPublishers.ofByteArray(body), timeout());
        client.settings().retry().run(a -> {
            HttpResponse<byte[]> r = send(call, scopes, what);
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw client.failure(name, what, r, r.body(), scopes);
            }
            String stored = r.headers().firstValue("Docker-Content-Digest").orElse(null);
            if (stored != null && !stored.equals(m.digest().toString())) {
                throw RegistryException.of(client.registry(), name, what, "the registry stored it as " + stored
                        + " but its bytes hash to " + m.digest(), null);
            }
            return null;
        }, client.retryListener(null));
        if (TagReads.isTag(reference)) {
            TagReads.remember(tagKey(reference), Optional.of(m));
        }
    }

    /**
     * {@code HEAD /v2/NAME/manifests/REF}: the digest the registry holds under {@code reference}; empty when it
     * has none (404) or does not say ({@code Docker-Content-Digest} missing or unreadable).
     */
    public Optional<Digest> manifestDigest(String reference) throws IOException {
        String what = "checking manifest " + reference;
        Http.Call call = Http.Call.of("HEAD", url("/manifests/" + reference), timeout())
                .withHeader("Accept", String.join(", ", ManifestBytes.SUPPORTED));
        return client.settings().retry().run(a -> {
            HttpResponse<byte[]> r = send(call, scopes, what);
            if (r.statusCode() == 404) {
                return Optional.<Digest>empty();
            }
            if (r.statusCode() != 200) {
                throw client.failure(name, what, r, r.body(), scopes);
            }
            try {
                return r.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
            } catch (IllegalArgumentException unreadable) {
                return Optional.<Digest>empty();
            }
        }, client.retryListener(null));
    }

    /**
     * {@code GET /v2/NAME/manifests/REF}; empty only on 404 (never on a HEAD answer without a digest header,
     * which would let an attachment manifest that exists be taken for a missing one and replaced).
     */
    public Optional<ManifestBytes> findManifest(String reference) throws IOException {
        return readManifest(reference, true);
    }

    /** {@code GET /v2/NAME/manifests/REF}, accepting OCI and Docker manifests and indexes; verified. */
    public ManifestBytes getManifest(String reference) throws IOException {
        return readManifest(reference, false).orElseThrow();
    }

    private Optional<ManifestBytes> readManifest(String reference, boolean missingIsEmpty) throws IOException {
        String what = "reading manifest " + reference;
        Http.Call call = Http.Call.of("GET", url("/manifests/" + reference), timeout())
                .withHeader("Accept", String.join(", ", ManifestBytes.SUPPORTED))
                .withMaxBody(dev.distrolix.json.Mappers.MAX_DOCUMENT); // read at most this (+1 buffer), then refuse
        Optional<ManifestBytes> read = client.settings().retry().run(a -> {
            HttpResponse<byte[]> r = send(call, scopes, what);
            if (r.statusCode() == 404 && missingIsEmpty) {
                return Optional.<ManifestBytes>empty();
            }
            if (r.statusCode() != 200) {
                throw client.failure(name, what, r, r.body(), scopes);
            }
            return Optional.of(ManifestCheck.verify(client.registry(), name, what, reference, r));
        }, client.retryListener(null));
        if (TagReads.isTag(reference)) {
            TagReads.remember(tagKey(reference), read);
        }
        return read;
    }

    /**
     * What {@code tag} holds: as this run read or pushed it seconds ago where {@code believed} accepts that (see
     * {@link TagReads}), else read now.
     */
    Optional<ManifestBytes> recentlyUnder(String tag, java.util.function.Predicate<ManifestBytes> believed)
            throws IOException {
        TagReads.Read r = TagReads.recent(tagKey(tag));
        if (r != null && r.manifest().map(believed::test).orElse(true)) {
            return r.manifest();
        }
        return findManifest(tag);
    }

    private TagReads.Key tagKey(String tag) {
        return new TagReads.Key(client.registry(), name, tag, client.settings().credentials());
    }

    /** {@code GET /v2/NAME/blobs/D} as a stream (redirects followed without our Authorization). Not verified. */
    public InputStream openBlob(Digest digest) throws IOException {
        String what = "reading blob " + digest;
        HttpResponse<InputStream> r;
        try {
            r = client.send(Http.Call.of("GET", url("/blobs/" + digest), timeout()), scopes,
                    Http.STREAM); // reads fail after the stall timeout without data
        } catch (IOException e) {
            throw client.io(name, what, e);
        }
        if (r.statusCode() != 200) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(1 << 16);
            }
            throw client.failure(name, what, r, body, scopes);
        }
        return r.body();
    }

    /**
     * Whether the registry serves the OCI 1.1 referrers API for this repository: {@code GET …/referrers/D}
     * answers 200 with an image index (a registry without it answers 404).
     */
    public boolean supportsReferrers(Digest digest) throws IOException {
        String what = "asking for the referrers of " + digest;
        Http.Call call = Http.Call.of("GET", url("/referrers/" + digest), timeout())
                .withHeader("Accept", dev.distrolix.image.MediaTypes.OCI_INDEX).withMaxBody(1 << 20);
        HttpResponse<byte[]> r = send(call, scopes, what);
        return r.statusCode() == 200 && r.headers().firstValue("Content-Type").orElse("")
                .startsWith(dev.distrolix.image.MediaTypes.OCI_INDEX);
    }

    /**
     * A small blob in memory (a signature, an attestation), with retries: at most {@code size} + 1 bytes are
     * read, and the bytes must have that size and that digest.
     */
    public byte[] readBlob(Digest digest, long size) throws IOException {
        String what = "reading blob " + digest;
        if (size > Integer.MAX_VALUE - 16) {
            throw RegistryException.of(client.registry(), name, what, "it is too large to hold in memory", null);
        }
        return client.settings().retry().run(a -> {
            byte[] bytes;
            try (InputStream in = openBlob(digest)) {
                bytes = in.readNBytes((int) size + 1);
            } catch (RegistryException e) {
                throw e;
            } catch (IOException e) {
                throw client.io(name, what, e);
            }
            if (bytes.length != size || !Digest.sha256(bytes).equals(digest)) {
                throw RegistryException.of(client.registry(), name, what, "its bytes do not match the digest and size"
                        + " the manifest gives", null);
            }
            return bytes;
        }, client.retryListener(digest));
    }

    private HttpResponse<byte[]> send(Http.Call call, List<String> s, String what) throws IOException {
        try {
            return client.send(call, s, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw client.io(name, what, e);
        }
    }

    HttpResponse<byte[]> sendOnce(Http.Call call, String what) throws IOException {
        return send(call, scopes, what);
    }

    java.time.Duration timeout() {
        return client.settings().timeout();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
