package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.net.http.HttpResponse;

/** Checks a pulled manifest: digest (against a digest reference and Docker-Content-Digest) and media type. */
final class ManifestCheck {

    private ManifestCheck() {}

    static ManifestBytes verify(String registry, String repo, String what, String reference, HttpResponse<byte[]> r)
            throws RegistryException {
        byte[] body = r.body();
        Digest actual = Digest.sha256(body);
        if (reference.startsWith("sha256:") && !reference.equals(actual.toString())) {
            throw RegistryException.of(registry, repo, what, "the registry sent bytes that hash to " + actual, null);
        }
        String header = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (header != null && header.startsWith("sha256:") && !header.equals(actual.toString())) {
            throw RegistryException.of(registry, repo, what, "Docker-Content-Digest says " + header
                    + " but the bytes hash to " + actual, null);
        }
        String type = r.headers().firstValue("Content-Type").map(ManifestCheck::bare).orElse("");
        if (!ManifestBytes.SUPPORTED.contains(type)) {
            String inBody = mediaTypeField(body);
            type = inBody != null ? inBody : type;
        }
        if (!ManifestBytes.SUPPORTED.contains(type)) {
            throw RegistryException.of(registry, repo, what, "unsupported manifest type '" + type
                    + "' (OCI and Docker schema 2 manifests and indexes are supported)", null);
        }
        return new ManifestBytes(body, type, actual);
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
