package dev.distrolix.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.InputException;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Platform;
import dev.distrolix.registry.ManifestBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The parts of manifests, indexes and configs that copying needs, read leniently from exact bytes. */
final class ImageParts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageParts() {}

    /** A single-image manifest's config and layers. */
    record Manifest(Descriptor config, List<Descriptor> layers) {
        List<Descriptor> blobs() {
            List<Descriptor> all = new ArrayList<>(layers);
            all.add(config);
            return all;
        }
    }

    /** An index entry: a manifest and its platform (null when the entry names none). */
    record Entry(Descriptor descriptor, Platform platform) {}

    static Manifest manifest(ManifestBytes m, String where) {
        JsonNode n = tree(m.bytes(), "manifest " + m.digest() + " of " + where);
        if (m.isIndex()) {
            throw new IllegalStateException("not a single-image manifest: " + m.mediaType());
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : n.path("layers")) {
            layers.add(descriptor(l, where));
        }
        return new Manifest(descriptor(n.path("config"), where), layers);
    }

    static List<Entry> index(ManifestBytes m, String where) {
        JsonNode n = tree(m.bytes(), "index " + m.digest() + " of " + where);
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : n.path("manifests")) {
            JsonNode p = e.path("platform");
            Platform platform = p.isObject() && p.hasNonNull("architecture") && p.hasNonNull("os")
                    ? new Platform(p.get("architecture").asText(), p.get("os").asText(),
                    p.hasNonNull("variant") ? p.get("variant").asText() : null) : null;
            entries.add(new Entry(descriptor(e, where), platform));
        }
        return entries;
    }

    /** A config's platform and rootfs.diff_ids. */
    record Config(Platform platform, List<Digest> diffIds) {}

    static Config config(byte[] bytes, String where) {
        JsonNode n = tree(bytes, "the config of " + where);
        String arch = n.path("architecture").asText("");
        String os = n.path("os").asText("");
        if (arch.isEmpty() || os.isEmpty()) {
            throw new InputException("the config of " + where + " names no architecture/os");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode d : n.path("rootfs").path("diff_ids")) {
            diffIds.add(digest(d.asText(), where));
        }
        String variant = n.path("variant").asText("");
        return new Config(new Platform(arch, os, variant.isEmpty() ? null : variant), diffIds);
    }

    static Descriptor descriptor(JsonNode n, String where) {
        String type = n.path("mediaType").asText("");
        long size = n.path("size").asLong(-1);
        if (type.isEmpty() || size < 0 || !n.hasNonNull("digest")) {
            throw new InputException(where + " has a descriptor without mediaType, digest or size");
        }
        return Descriptor.of(type, digest(n.get("digest").asText(), where), size);
    }

    static JsonNode tree(byte[] bytes, String what) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new InputException(what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new InputException(what + " is not valid JSON", e);
        }
    }

    private static Digest digest(String s, String where) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw new InputException(where + " has an unsupported digest '" + s + "' (only sha256)");
        }
    }
}
