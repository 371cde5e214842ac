package dev.distrolix.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.InputException;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.IndexManifest;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.RegistryException;
import dev.distrolix.registry.RegistryImageReader;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.blob.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An image in a registry seen as a read-only OCI image layout, so that {@link LayoutReader}
 * reads it exactly as it reads a directory (same index resolution, checks and errors):
 * {@code index.json} lists the one manifest or index the reference names, with the reference as
 * its name; {@code blobs/sha256/<hex>} is a manifest when it is that one or one listed by an index
 * served so far, else a blob of the repository. Nothing touches the disk: manifests and the config
 * are read into memory (with retries), layers are streamed from the registry when asked for,
 * once, and verified on the way.
 *
 * <p>{@link ImageFiles#exists} cannot throw an {@link IOException}; a registry failure there is an
 * {@link UncheckedIOException} that {@link Transports#open} unwraps.
 */
final class RegistryFiles implements ImageFiles {
    private static final String BLOB_PREFIX = "blobs/sha256/";

    private final RegistryImageReader reader;
    private final byte[] indexJson;
    /** Digests that name manifests: the top one and those listed by indexes served so far. */
    private final Set<Digest> manifests = ConcurrentHashMap.newKeySet();
    private final Map<Digest, byte[]> manifestBytes = new ConcurrentHashMap<>();
    /** What HEAD said about each blob asked for: absent, or its size (-1 if the registry did not say). */
    private final Map<Digest, Optional<Long>> blobs = new ConcurrentHashMap<>();
    /** Blobs {@link #willAsk} could not ask about (after the client's retries): not asked again, the same failure. */
    private final Map<Digest, RuntimeException> failed = new ConcurrentHashMap<>();
    /**
     * False: the blobs a manifest served here names are taken as it describes them (there, of its size) instead of
     * asked about (see {@link #openTrusting}).
     */
    private final boolean askAboutBlobs;

    private RegistryFiles(RegistryImageReader reader, boolean askAboutBlobs) {
        this.reader = reader;
        this.askAboutBlobs = askAboutBlobs;
        ManifestBytes top = reader.manifest();
        remember(top.digest(), top.bytes());
        Descriptor d = new Descriptor(top.mediaType(), top.digest(), top.size(),
                Map.of(LayoutReader.CONTAINERD_NAME, name(reader.ref())), null);
        this.indexJson = CanonicalJson.index(new IndexManifest(List.of(d), Map.of()));
    }

    /** host/repo:tag as podman names a pulled image; by digest alone, no tag (the digest is shown apart). */
    private static String name(RegistryRef ref) {
        String name = ref.registry() + "/" + ref.repository();
        if (ref.tag() != null) {
            return name + ":" + ref.tag();
        }
        return ref.digest() == null ? name + ":latest" : name;
    }

    /**
     * Connects and reads the manifest or index {@code ref} names. A registry that has no such
     * repository or tag is an {@link InputException}; unreachable, unauthorized and other failures
     * stay {@link RegistryException}s (one line each).
     */
    static RegistryFiles open(String reference, RegistryRef ref, RegistrySettings settings) throws IOException {
        return open(reference, ref, settings, true);
    }

    /**
     * The same, for a reader that reads only some of the layers and can do without the others: the blobs the
     * manifests name are taken as they describe them instead of asked about (a HEAD each, side by side: in a fresh
     * JVM ~10% of a fresh runner's time, on its two cores). A blob that is not there, or not of that size, fails when
     * it is read, as one that changed since a HEAD would; what is read is verified as always.
     */
    static RegistryFiles openTrusting(String reference, RegistryRef ref, RegistrySettings settings) throws IOException {
        return open(reference, ref, settings, false);
    }

    private static RegistryFiles open(String reference, RegistryRef ref, RegistrySettings settings, boolean ask)
            throws IOException {
        try {
            return new RegistryFiles(RegistryImageReader.open(ref, settings), ask);
        } catch (RegistryException e) {
            if (e.status() == 404 && e.repository() != null) {
                throw new InputException(reference + ": " + notFound(e, ref), e);
            }
            throw e;
        }
    }

    private static String notFound(RegistryException e, RegistryRef ref) {
        String what = "NAME_UNKNOWN".equals(e.code())
                ? "has no repository " + ref.repository()
                : "has no image " + ref.repository() + (ref.digest() != null ? "@" : ":") + ref.reference();
        return "registry " + ref.registry() + " " + what + " (HTTP 404" + (e.code() == null ? "" : " " + e.code()) + ")";
    }

    @Override
    public boolean exists(String path) {
        if (path.equals("index.json")) {
            return true;
        }
        Digest d = digestOf(path);
        if (d == null) {
            return false;
        }
        return manifests.contains(d) || blob(d).isPresent();
    }

    @Override
    public long size(String path) {
        if (path.equals("index.json")) {
            return indexJson.length;
        }
        Digest d = digestOf(path);
        if (d == null) {
            return -1;
        }
        try {
            return manifests.contains(d) ? manifest(d).length : blob(d).orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        if (path.equals("index.json")) {
            return new ByteArrayInputStream(indexJson);
        }
        Digest d = digestOf(path);
        if (d == null || !exists(path)) {
            throw new NoSuchFileException(path);
        }
        if (manifests.contains(d)) {
            return new ByteArrayInputStream(manifest(d));
        }
        // other bytes than the digest's are bad input, not retried (a layer's stream names the layer in the message)
        return VerifyingInputStream.ofRegistry(reader.repository().openBlob(d), d, blob(d).get(),
                "blob " + d + " from " + reader.ref().registry() + "/" + reader.ref().repository());
    }

    /** Manifests from memory; small blobs (the config) in one verified request, retried if it fails. */
    @Override
    public byte[] readSmall(String path, int limit) throws IOException {
        Digest d = digestOf(path);
        if (d == null || manifests.contains(d) || !exists(path) || blob(d).get() < 0) {
            return ImageFiles.super.readSmall(path, limit);
        }
        long size = blob(d).get();
        if (size > limit) {
            throw ImageFiles.tooLarge(path, size, limit);
        }
        return reader.blobBytes(Descriptor.of("application/octet-stream", d, size));
    }

    private byte[] manifest(Digest d) throws IOException {
        byte[] known = manifestBytes.get(d);
        if (known != null) {
            return known;
        }
        byte[] bytes = reader.manifest(d).bytes();
        remember(d, bytes);
        return bytes;
    }

    /** Keeps a manifest's bytes; an index's entries become known manifests. */
    private void remember(Digest d, byte[] bytes) {
        manifests.add(d);
        manifestBytes.put(d, bytes);
        try {
            JsonNode root = CanonicalJson.parse(bytes);
            for (JsonNode m : root.path("manifests")) {
                manifests.add(Digest.parse(m.path("digest").asText()));
            }
            if (!askAboutBlobs) {
                described(root.path("config"));
                root.path("layers").forEach(this::described);
            }
        } catch (IOException | RuntimeException malformed) {
            // not JSON or a bad digest: the layout reader reports it when it parses the document
        }
    }

    /** A blob as a manifest describes it, taken as there (one that says no size, or a bad one, is asked about). */
    private void described(JsonNode descriptor) {
        JsonNode size = descriptor.path("size");
        if (size.canConvertToLong() && size.isIntegralNumber() && size.asLong() >= 0) {
            blobs.putIfAbsent(Digest.parse(descriptor.path("digest").asText()), Optional.of(size.asLong()));
        }
    }

    /**
     * Asks for the sizes of the blobs among {@code paths} on several connections at once (a registry image's layers:
     * one HEAD after another took an image with 8 blobs ~40 ms on a fresh JVM). Answers are kept for
     * {@link #exists} and {@link #size}, and so is a failure (after the client's own retries), which they throw where
     * it was always thrown; an interrupted question is not kept.
     */
    @Override
    public void willAsk(List<String> paths) {
        List<Digest> unknown = new java.util.ArrayList<>();
        for (String p : paths) {
            Digest d = digestOf(p);
            if (d != null && !manifests.contains(d) && !blobs.containsKey(d) && !unknown.contains(d)) {
                unknown.add(d);
            }
        }
        if (unknown.size() < 2) {
            return;
        }
        try {
            dev.distrolix.Workers.shared().forEach(unknown, Math.min(unknown.size(), 8), d -> {
                try {
                    blob(d);
                } catch (RuntimeException e) { // a RegistryException, or an IOException wrapped
                    if (!(e.getCause() instanceof java.io.InterruptedIOException) && !Thread.currentThread().isInterrupted()) {
                        failed.putIfAbsent(d, e); // exists() or size() reports it
                    }
                }
                return null;
            });
        } catch (IOException | RuntimeException askedAgainLater) {
            // interrupted, or a task failed otherwise: whatever was not answered is asked one by one
        }
    }

    private Optional<Long> blob(Digest d) {
        Optional<Long> known = blobs.get(d);
        if (known != null) {
            return known;
        }
        RuntimeException failure = failed.get(d);
        if (failure != null) {
            throw failure;
        }
        // asked outside the map (not in computeIfAbsent, which would hold a bin's lock through the request and make
        // questions about other blobs of that bin wait); a blob asked twice at once is asked twice
        Optional<Long> size;
        try {
            size = reader.repository().blobSize(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Long> first = blobs.putIfAbsent(d, size);
        return first != null ? first : size;
    }

    private static Digest digestOf(String path) {
        String p = ImageFiles.normalize(path);
        if (!p.startsWith(BLOB_PREFIX)) {
            return null;
        }
        try {
            return new Digest("sha256", p.substring(BLOB_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The registry image these files are. */
    RegistryRef ref() {
        return reader.ref();
    }

    @Override
    public void close() {
        // nothing held open: each layer stream is closed by its reader
    }

    @Override
    public String toString() {
        return reader.ref().toString();
    }
}
