package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest cosign tags {@code sha256-<hex>.sig} or {@code .att}: an OCI image manifest whose
 * layers are signatures or attestations (one each). Read leniently (any layer media type is kept
 * as it is, so that appending never drops what another tool attached), written as skopeo writes it.
 */
public record AttachmentManifest(List<Descriptor> layers) {
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";
    /** More layers than anyone attaches: a manifest with more is refused rather than walked. */
    static final int MAX_LAYERS = 1000;

    public AttachmentManifest {
        layers = List.copyOf(layers);
    }

    public static AttachmentManifest empty() {
        return new AttachmentManifest(List.of());
    }

    /** Parses the manifest; an {@link IllegalArgumentException} says what is wrong. */
    public static AttachmentManifest parse(byte[] bytes) {
        JsonNode root = SignJson.read(bytes, "the manifest");
        if (root == null || !root.isObject() || !root.path("layers").isArray()) {
            throw new IllegalArgumentException("not an image manifest (no layers)");
        }
        if (root.get("layers").size() > MAX_LAYERS) {
            throw new IllegalArgumentException("it has " + root.get("layers").size() + " layers (at most "
                    + MAX_LAYERS + " are read)");
        }
        List<Descriptor> layers = new ArrayList<>();
        int i = 0;
        for (JsonNode l : root.get("layers")) {
            i++;
            Digest digest;
            try {
                digest = Digest.parse(l.path("digest").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " has no valid sha256 digest");
            }
            if (!l.path("size").canConvertToLong() || l.path("size").asLong() < 0 || !l.path("mediaType").isTextual()) {
                throw new IllegalArgumentException("layer " + i + " has no valid size or media type");
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = l.path("annotations").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> a = it.next();
                if (a.getValue().isTextual()) {
                    annotations.put(a.getKey(), a.getValue().asText());
                }
            }
            layers.add(new Descriptor(l.get("mediaType").asText(), digest, l.get("size").asLong(), annotations, null));
        }
        return new AttachmentManifest(layers);
    }

    public AttachmentManifest plus(Descriptor layer) {
        List<Descriptor> more = new ArrayList<>(layers);
        more.add(layer);
        return new AttachmentManifest(more);
    }

    /** The config skopeo writes: empty platform, the layer digests as diff_ids (verifiers ignore it). */
    public byte[] config() {
        ObjectNode c = dev.distrolix.json.JsonTrees.object();
        c.put("architecture", "");
        c.put("os", "");
        c.putObject("config");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.digest().toString()));
        return CanonicalJson.bytes(c);
    }

    /** The manifest bytes, pushed with the OCI manifest media type (podman refuses any other). */
    public byte[] bytes() {
        byte[] config = config();
        ObjectNode m = dev.distrolix.json.JsonTrees.object();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", CanonicalJson.descriptor(Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length)));
        ArrayNode ls = m.putArray("layers");
        layers.forEach(l -> ls.add(CanonicalJson.descriptor(l)));
        return CanonicalJson.bytes(m);
    }

    /** cosign's tag for what is attached to {@code digest}: {@code sha256-<hex>.<suffix>}. */
    public static String tag(Digest digest, String suffix) {
        return digest.algorithm() + "-" + digest.hex() + "." + suffix;
    }
}
