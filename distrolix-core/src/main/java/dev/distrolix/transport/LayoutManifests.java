package dev.distrolix.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Raw tagged manifests and blobs of an OCI layout directory, for what lives beside images without
 * being one (signature and attestation manifests): read by tag, verified; written with the layout
 * writer's locking and commit point.
 */
public final class LayoutManifests {
    private LayoutManifests() {}

    /** A manifest as stored: its bytes (digest checked), media type and the name the entry carries. */
    public record Tagged(byte[] bytes, String mediaType, Digest digest, String imageName) {}

    /** The entry tagged {@code tag}, if any. */
    public static Optional<Tagged> read(Path dir, String tag) throws IOException {
        Path index = dir.resolve(LayoutContent.INDEX);
        if (!Files.isRegularFile(index)) {
            throw new InputException("oci:" + dir + ": not an OCI image layout (no index.json)");
        }
        JsonNode root = parse(index, readBounded(index, Json.MAX_DOCUMENT));
        // the entries a reader of oci:DIR:TAG would take (LayoutReader's rule): several is ambiguous, so no
        // signature check can stand for what a reader gets
        JsonNode match = null;
        int matches = 0;
        for (JsonNode m : root.path("manifests")) {
            JsonNode a = m.path("annotations");
            if (tag.equals(a.path(LayoutContent.REF_NAME).asText(null)) || tag.equals(a.path(LayoutContent.CONTAINERD_NAME).asText(null))) {
                match = m;
                matches++;
            }
        }
        if (match == null) {
            return Optional.empty();
        }
        if (matches > 1) {
            throw new InputException("oci:" + dir + ": the tag " + tag + " names " + matches + " entries of index.json;"
                    + " signatures need one image or index per tag");
        }
        Digest d;
        try {
            d = Digest.parse(match.path("digest").asText(""));
        } catch (IllegalArgumentException e) {
            throw new InputException("oci:" + dir + ": index.json: the entry " + tag + " has no valid digest");
        }
        byte[] bytes = blob(dir, d, Json.MAX_DOCUMENT);
        return Optional.of(new Tagged(bytes, match.path("mediaType").asText(""), d,
                match.path("annotations").path(LayoutContent.CONTAINERD_NAME).asText(null)));
    }

    /** A blob of the layout, at most {@code max} bytes, its digest checked. */
    public static byte[] blob(Path dir, Digest digest, long max) throws IOException {
        Path file = dir.resolve(LayoutContent.blobPath(digest));
        byte[] bytes;
        try {
            bytes = readBounded(file, max);
        } catch (NoSuchFileException e) {
            throw new InputException("oci:" + dir + ": blob " + digest + " is missing");
        }
        if (!Digest.sha256(bytes).equals(digest)) {
            throw new InputException("oci:" + dir + ": blob " + digest + " does not match its digest");
        }
        return bytes;
    }

    /** Adds {@code manifest} under {@code tag} (replacing that tag's entry) with its blobs. */
    public static void write(Path dir, String tag, byte[] manifest, String mediaType, Map<Digest, byte[]> blobs)
            throws IOException {
        OciLayoutWriter.writeManifest(dir, tag, manifest, mediaType, blobs);
    }

    private static byte[] readBounded(Path file, long max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new InputException(file + ": larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    private static JsonNode parse(Path file, byte[] bytes) {
        try {
            return CanonicalJson.parse(bytes);
        } catch (IOException e) {
            throw new InputException(file + " is not valid JSON");
        }
    }
}
