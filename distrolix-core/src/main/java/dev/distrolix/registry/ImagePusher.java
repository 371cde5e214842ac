package dev.distrolix.registry;

import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pushes an image (or an index with its images) to a registry in the spec's order: blobs first
 * ({@link BlobPushes}: HEAD, mount, upload), then the manifests an index lists, then the top
 * manifest or index under each tag. The manifest bytes go up unchanged, so the digest in the
 * registry is the digest every other output of the same image has.
 *
 * <pre>{@code
 * PushResult r = ImagePusher.push(new ImagePusher.Request(RegistryRef.parse("127.0.0.1:5000/app:1"),
 *         List.of("1", "latest"), blobs, List.of(), manifest), RegistrySettings.defaults());
 * }</pre>
 */
public final class ImagePusher {
    private ImagePusher() {}

    /**
     * A blob to push. {@code kind} is "layer" or "config" (for progress displays);
     * {@code mountFrom} lists repositories of the same registry that hold it (e.g. a copy's source);
     * {@code expect} what the registry most likely holds: {@link Expect#UNKNOWN} (asked first, see
     * {@link BlobPushes#SMALL} for small ones), {@link Expect#NEW} (uploaded without asking first) or
     * {@link Expect#THERE} (asked, never sent unasked: its bytes may not be at hand).
     */
    public record Blob(Descriptor descriptor, BlobContent content, String kind, List<String> mountFrom, Expect expect) {
        public Blob {
            Objects.requireNonNull(descriptor, "descriptor");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(expect, "expect");
            mountFrom = List.copyOf(mountFrom);
        }

        public Blob(Descriptor descriptor, BlobContent content, String kind, List<String> mountFrom) {
            this(descriptor, content, kind, mountFrom, Expect.UNKNOWN);
        }

        public static Blob of(Descriptor descriptor, BlobContent content, String kind) {
            return new Blob(descriptor, content, kind, List.of());
        }

        /**
         * A small blob this run made, most likely new to the registry (a signature's, an attestation's): its first
         * attempt uploads without asking first. The HEAD would cost a round trip, as much as sending these few bytes,
         * and sending one the registry has does no harm.
         */
        public static Blob likelyNew(Descriptor descriptor, BlobContent content, String kind) {
            return new Blob(descriptor, content, kind, List.of(), Expect.NEW);
        }

        /** A blob the registry should hold already, whose bytes are not at hand: {@code content} is read only if not. */
        public static Blob there(Descriptor descriptor, BlobContent content, String kind) {
            return new Blob(descriptor, content, kind, List.of(), Expect.THERE);
        }
    }

    /** What a pusher expects of a blob (see {@link Blob}). */
    public enum Expect { UNKNOWN, NEW, THERE }

    /**
     * What to push: the blobs of all images, the manifests an index lists ({@code children},
     * pushed by digest; empty for a single image) and the top manifest or index, pushed under
     * each of {@code tags} (by digest when there are none).
     */
    public record Request(RegistryRef target, List<String> tags, List<Blob> blobs, List<ManifestBytes> children,
                          ManifestBytes top, Gate gate) {
        public Request {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(top, "top");
            Objects.requireNonNull(gate, "gate");
            tags = List.copyOf(tags);
            blobs = List.copyOf(blobs);
            children = List.copyOf(children);
        }

        public Request(RegistryRef target, List<String> tags, List<Blob> blobs, List<ManifestBytes> children,
                       ManifestBytes top) {
            this(target, tags, blobs, children, top, Gate.OPEN);
        }
    }

    /**
     * Passed once every blob is stored and before any manifest is (also when nothing is to change): what may still
     * stop a push from publishing anything, such as a signing key being decrypted. A failure is the push's.
     */
    @FunctionalInterface
    public interface Gate {
        Gate OPEN = () -> {};

        void pass() throws IOException;
    }

    public static PushResult push(Request req, RegistrySettings settings) throws IOException {
        return push(req, RegistryClient.connect(req.target().registry(), settings));
    }

    public static PushResult push(Request req, RegistryClient client) throws IOException {
        RegistrySettings settings = client.settings();
        PushListener listener = settings.listener();
        Repository repo = client.repository(req.target().repository(), true);
        List<Blob> blobs = distinct(req.blobs());
        List<PushEvent.Blob> announced = new ArrayList<>();
        for (Blob b : blobs) {
            announced.add(new PushEvent.Blob(b.descriptor().digest(), b.descriptor().size(), b.kind()));
        }
        listener.on(new PushEvent.Started(req.target().toString(), announced));
        // A registry accepts a manifest only when it has every blob the manifest names, and keeps them while
        // it is tagged: the first tag's manifest settles an unchanged re-push, and otherwise names blobs that
        // need no HEAD (an edit's unchanged layers); one HEAD for each other tag.
        Set<Digest> tagged = new HashSet<>();
        boolean unchanged = unchanged(req, repo, tagged);
        BlobLocations locations = BlobLocations.load(settings.blobCacheDir(), client.registry());
        List<PushResult.BlobOutcome> outcomes;
        try {
            outcomes = unchanged ? alreadyThere(blobs, repo, locations)
                    : new BlobPushes(repo, locations, settings, tagged).pushAll(blobs);
            req.gate().pass();
            if (unchanged) {
                listener.on(new PushEvent.Unchanged(req.tags(), req.top().digest()));
            } else {
                for (ManifestBytes child : req.children()) {
                    repo.putManifest(child.digest().toString(), child);
                    listener.on(new PushEvent.ManifestPushed(child.digest().toString(), child.digest(), child.mediaType()));
                }
                List<String> refs = req.tags().isEmpty() ? List.of(req.top().digest().toString()) : req.tags();
                for (String ref : refs) {
                    repo.putManifest(ref, req.top());
                    listener.on(new PushEvent.ManifestPushed(ref, req.top().digest(), req.top().mediaType()));
                }
            }
        } finally {
            // where the blobs are is remembered whatever became of the rest, after the manifests: it is for later
            // runs (a file locked, merged and replaced, ~5 ms that the manifest's request no longer waits for)
            locations.save();
        }
        PushResult result = new PushResult(client.registry(), repo.name(), req.tags(), req.top().digest(),
                req.top().mediaType(), outcomes);
        listener.on(new PushEvent.Finished(result));
        return result;
    }

    /**
     * Only the blobs (each HEAD, then uploaded when missing), for a manifest put later ({@link Repository#putManifest}):
     * what signing stages beside the image's push. Where they went is not remembered for mounts: such blobs (a
     * signature, an attestation) belong to one image.
     */
    public static void pushBlobs(RegistryRef target, List<Blob> blobs, RegistryClient client) throws IOException {
        Repository repo = client.repository(target.repository(), true);
        new BlobPushes(repo, BlobLocations.load(null, client.registry()), client.settings()).pushAll(distinct(blobs));
    }

    /** Every blob as already there, each recorded as a place to mount it from (as after any push). */
    private static List<PushResult.BlobOutcome> alreadyThere(List<Blob> blobs, Repository repo,
                                                             BlobLocations locations) {
        List<PushResult.BlobOutcome> there = new ArrayList<>();
        for (Blob b : blobs) {
            there.add(new PushResult.BlobOutcome(b.descriptor().digest(), b.descriptor().size(),
                    b.descriptor().mediaType(), PushResult.Fate.EXISTS, null));
            locations.add(b.descriptor().digest(), repo.name());
        }
        return there;
    }

    /**
     * Whether every tag already names the manifest being pushed (never for a push by digest alone); when the first
     * tag names another image manifest, the blobs it names are added to {@code tagged}.
     */
    private static boolean unchanged(Request req, Repository repo, Set<Digest> tagged) throws IOException {
        if (req.tags().isEmpty()) {
            return false;
        }
        String firstTag = req.tags().get(0);
        Optional<Digest> firstDigest;
        try {
            // a read of the tag from seconds ago (a fresh runner's, taking its layers) is believed where it says
            // another image is there
            Optional<ManifestBytes> m = repo.recentlyUnder(firstTag, current -> !current.digest().equals(req.top().digest()));
            m.ifPresent(current -> tagged.addAll(namedBlobs(current)));
            firstDigest = m.map(ManifestBytes::digest);
        } catch (RegistryException | dev.distrolix.InputException unreadable) {
            // a manifest we do not read (another artifact type, too large, bytes not its digest's) or an error: asked
            // as before, by a HEAD
            firstDigest = repo.manifestDigest(firstTag);
        }
        if (!firstDigest.map(req.top().digest()::equals).orElse(false)) {
            return false;
        }
        for (String tag : req.tags().subList(1, req.tags().size())) {
            if (!repo.manifestDigest(tag).map(req.top().digest()::equals).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The config and layers an image manifest names; none for an index or one that does not parse. A layer with
     * {@code urls} (a "foreign" layer, served from elsewhere) is not one the registry is known to hold.
     */
    static Set<Digest> namedBlobs(ManifestBytes m) {
        Set<Digest> out = new HashSet<>();
        if (m.isIndex()) {
            return out;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode root = dev.distrolix.json.JsonTrees.read(m.bytes());
            out.add(Digest.parse(root.path("config").path("digest").asText()));
            for (com.fasterxml.jackson.databind.JsonNode l : root.path("layers")) {
                if (l.path("urls").isEmpty() && !l.path("mediaType").asText("").contains("foreign")) {
                    out.add(Digest.parse(l.path("digest").asText()));
                }
            }
        } catch (IOException | IllegalArgumentException unreadable) {
            return new HashSet<>(); // asked for one by one, as without it
        }
        return out;
    }

    private static List<Blob> distinct(List<Blob> blobs) {
        Map<Digest, Blob> byDigest = new LinkedHashMap<>();
        for (Blob b : blobs) {
            byDigest.putIfAbsent(b.descriptor().digest(), b);
        }
        return new ArrayList<>(byDigest.values());
    }
}
