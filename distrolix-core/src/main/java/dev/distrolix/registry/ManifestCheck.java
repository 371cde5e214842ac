package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * Checks a pulled manifest: digest (against a digest reference and Docker-Content-Digest) and media type. A manifest
 * that fails is bad input (exit 3, not retried), as a layer or a config whose bytes are not their digest's.
 */
final class ManifestCheck {

    private ManifestCheck() {}

    static ManifestBytes verify(String registry, String repo, String what, String reference, HttpResponse<byte[]> r) {
        byte[] body = r.body();
        Digest actual = Digest.sha256(body);
        if (reference.startsWith("sha256:") && !reference.equals(actual.toString())) {
            throw bad(registry, repo, what, "the registry sent bytes that hash to " + actual);
        }
        String header = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (header != null && header.startsWith("sha256:") && !header.equals(actual.toString())) {
            throw bad(registry, repo, what, "Docker-Content-Digest says " + header + " but the bytes hash to " + actual);
        }
        String type = r.headers().firstValue("Content-Type").map(ManifestCheck::bare).orElse("");
        if (!ManifestBytes.SUPPORTED.contains(type)) {
            String inBody = mediaTypeField(body);
            type = inBody != null ? inBody : type;
        }
        if (!ManifestBytes.SUPPORTED.contains(type)) {
            throw bad(registry, repo, what, "unsupported manifest type '"
                    + dev.distrolix.Printable.shown(type, 200)
                    + "' (OCI and Docker schema 2 manifests and indexes are supported)");
        }
        return new ManifestBytes(body, type, actual);
    }

    private static dev.distrolix.InputException bad(String registry, String repo, String what, String reason) {
        return new dev.distrolix.InputException(what + " from " + registry + "/" + repo + ": " + reason);
    }

    private static String bare(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
    }

    private static String mediaTypeField(byte[] body) {
        try {
            JsonNode n = dev.distrolix.json.JsonTrees.read(body);
            String t = n.path("mediaType").asText("");
            return t.isEmpty() ? null : t;
        } catch (IOException e) {
            return null;
        }
    }
}
