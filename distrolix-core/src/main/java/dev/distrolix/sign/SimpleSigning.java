package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * The payload a cosign signature signs: "this manifest digest is the image at this reference".
 * Parsed as strictly as podman does (exactly these keys), so that what distrolix accepts podman
 * accepts too.
 */
public final class SimpleSigning {
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String TYPE = "cosign container image signature";

    private SimpleSigning() {}

    /** A parsed payload. {@code dockerReference} is HOST/REPO[:TAG] as the signer wrote it. */
    public record Payload(String dockerReference, Digest manifestDigest, JsonNode optional) {
        public Payload {
            Objects.requireNonNull(dockerReference, "dockerReference");
            Objects.requireNonNull(manifestDigest, "manifestDigest");
        }
    }

    /**
     * The payload bytes. {@code creator} goes in {@code optional} (as skopeo writes it); no timestamp, so
     * that the payload of one image at one reference is always the same bytes.
     */
    public static byte[] payload(String dockerReference, Digest manifestDigest, String creator) {
        ObjectNode root = dev.distrolix.json.JsonTrees.object();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
        critical.put("type", TYPE);
        if (creator == null) {
            root.putNull("optional");
        } else {
            root.putObject("optional").put("creator", creator);
        }
        return dev.distrolix.json.JsonTrees.write(root);
    }

    /** Parses a payload; an {@link IllegalArgumentException} says what is wrong with it. */
    public static Payload parse(byte[] bytes) {
        JsonNode root = SignJson.read(bytes, "the payload");
        exactly(root, "payload", Set.of("critical", "optional"), Set.of("critical"));
        JsonNode critical = root.get("critical");
        exactly(critical, "critical", Set.of("identity", "image", "type"), Set.of("identity", "image", "type"));
        if (!TYPE.equals(critical.get("type").asText(null))) {
            throw new IllegalArgumentException("critical.type is not \"" + TYPE + "\"");
        }
        JsonNode image = critical.get("image");
        exactly(image, "critical.image", Set.of("docker-manifest-digest"), Set.of("docker-manifest-digest"));
        JsonNode identity = critical.get("identity");
        exactly(identity, "critical.identity", Set.of("docker-reference"), Set.of("docker-reference"));
        if (!image.get("docker-manifest-digest").isTextual() || !identity.get("docker-reference").isTextual()) {
            throw new IllegalArgumentException("the digest and the reference must be strings");
        }
        Digest digest;
        try {
            digest = Digest.parse(image.get("docker-manifest-digest").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("critical.image.docker-manifest-digest is not a digest");
        }
        JsonNode optional = root.get("optional");
        if (optional != null && !optional.isNull() && !optional.isObject()) {
            throw new IllegalArgumentException("optional is neither null nor an object");
        }
        return new Payload(identity.get("docker-reference").asText(), digest, optional);
    }

    private static void exactly(JsonNode node, String what, Set<String> allowed, Set<String> required) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " is not an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException(what + " has an unknown key \"" + f + "\"");
            }
        }
        for (String r : required) {
            if (!node.has(r)) {
                throw new IllegalArgumentException(what + " has no \"" + r + "\"");
            }
        }
    }
}
