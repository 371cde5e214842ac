package dev.distrolix.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.InputException;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Platform;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.TreeMap;

/** Reading the small JSON documents of an image, with one-line errors that say which document. */
final class Json {
    /** Manifests and configs are small; a bigger "document" is a broken or hostile image (containers/image's cap). */
    static final int MAX_DOCUMENT = dev.distrolix.json.Mappers.MAX_DOCUMENT;

    private final String reference;
    private final ImageFiles files;

    Json(String reference, ImageFiles files) {
        this.reference = reference;
        this.files = files;
    }

    InputException error(String message) {
        return new InputException(reference + ": " + message);
    }

    /** A file of the image parsed as JSON (index.json, manifest.json). */
    JsonNode file(String path) throws IOException {
        if (!files.exists(path)) {
            throw error("no " + path + " (not an image of this kind?)");
        }
        return parse(files.readSmall(path, MAX_DOCUMENT), path);
    }

    JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode n = CanonicalJson.parse(bytes);
            if (n == null || n.isMissingNode()) {
                throw error(what + " is empty");
            }
            return n;
        } catch (IOException e) {
            throw error(what + " is not valid JSON (" + dev.distrolix.json.JsonTrees.problem(e.getMessage()) + ")");
        }
    }

    /** The blob a descriptor points to, checked against its digest and size. */
    byte[] blob(Descriptor d, String what) throws IOException {
        String path = blobPath(d.digest());
        if (!files.exists(path)) {
            throw error("the " + what + " blob " + d.digest() + " is missing");
        }
        byte[] bytes;
        try {
            bytes = files.readSmall(path, MAX_DOCUMENT);
        } catch (NoSuchFileException e) {
            throw error("the " + what + " blob " + d.digest() + " is missing");
        }
        checkDigest(bytes, d.digest(), what);
        if (d.size() != bytes.length) {
            throw error("the " + what + " blob " + d.digest() + " is " + bytes.length + " bytes, its descriptor says "
                    + d.size());
        }
        return bytes;
    }

    void checkDigest(byte[] bytes, Digest expected, String what) {
        Digest actual = Digest.sha256(bytes);
        if (!actual.equals(expected)) {
            throw error("the " + what + " blob " + expected + " does not match its digest (content is " + actual + ")");
        }
    }

    boolean filesHave(String path) {
        return files.exists(path);
    }

    /** Opens any file of the image (a layer blob), for {@link dev.distrolix.inspect.BlobOpener}. */
    java.io.InputStream open(String path) throws IOException {
        return files.open(path);
    }

    static String blobPath(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    String text(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw error(what + " has no " + field);
        }
        return v.asText();
    }

    Digest digest(String s, String what) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(what + ": " + e.getMessage());
        }
    }

    Descriptor descriptor(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw error(what + " is not a descriptor object");
        }
        String mediaType = n.has("mediaType") ? n.get("mediaType").asText() : "";
        Digest digest = digest(text(n, "digest", what), what);
        JsonNode size = n.get("size");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw error(what + " has no valid size");
        }
        Map<String, String> annotations = new TreeMap<>();
        JsonNode a = n.get("annotations");
        if (a != null && a.isObject()) {
            a.fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        }
        return new Descriptor(mediaType, digest, size.asLong(), annotations, platform(n.get("platform")));
    }

    static Platform platform(JsonNode p) {
        if (p == null || !p.isObject() || !p.hasNonNull("architecture") || !p.hasNonNull("os")
                || p.get("architecture").asText().isBlank() || p.get("os").asText().isBlank()) {
            return null;
        }
        String variant = p.hasNonNull("variant") && !p.get("variant").asText().isBlank() ? p.get("variant").asText() : null;
        return new Platform(p.get("architecture").asText(), p.get("os").asText(), variant);
    }
}
