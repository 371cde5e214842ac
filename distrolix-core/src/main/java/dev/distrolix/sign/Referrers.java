package dev.distrolix.sign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import java.util.Map;

/**
 * An attestation as an OCI 1.1 referrer: its own manifest whose {@code subject} is the image, found by
 * registries that serve the referrers API ({@code GET /v2/NAME/referrers/DIGEST}). Written beside the
 * {@code .att} tag, which stays the scheme podman, skopeo and cosign 2 read.
 */
public final class Referrers {
    public static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
    static final byte[] EMPTY = {'{', '}'};

    private Referrers() {}

    /** The referrer manifest of one attestation layer (an envelope) about {@code subject}. */
    public static byte[] manifest(Descriptor subject, Descriptor envelope) {
        ObjectNode m = dev.distrolix.json.JsonTrees.object();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", Dsse.MEDIA_TYPE);
        m.set("config", CanonicalJson.descriptor(Descriptor.of(EMPTY_CONFIG_TYPE, Digest.sha256(EMPTY), EMPTY.length)));
        m.putArray("layers").add(CanonicalJson.descriptor(envelope));
        m.set("subject", CanonicalJson.descriptor(Descriptor.of(subject.mediaType(), subject.digest(), subject.size())));
        String type = envelope.annotations().get(AttachmentManifest.PREDICATE_TYPE_ANNOTATION);
        if (type != null) {
            m.putObject("annotations").put("dev.sigstore.bundle.predicateType", type);
        }
        return CanonicalJson.bytes(m);
    }

    static Map<Digest, byte[]> emptyConfig() {
        return Map.of(Digest.sha256(EMPTY), EMPTY);
    }
}
