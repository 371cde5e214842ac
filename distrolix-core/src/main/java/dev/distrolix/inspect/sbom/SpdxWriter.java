package dev.distrolix.inspect.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * SPDX 2.3 JSON. The document DESCRIBES one package for the image (purpose CONTAINER); each store
 * path is a package {@code SPDXRef-Nix-<hash part>} (purpose LIBRARY, not file-analyzed,
 * download location NOASSERTION) with its purl as a PACKAGE-MANAGER external reference and its
 * NAR hash as a SHA256 checksum; the image CONTAINS every store path and DEPENDS_ON the roots, and
 * every scanned reference is a DEPENDS_ON relationship. The namespace is derived from the image
 * digest and the creation time.
 */
public final class SpdxWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpdxWriter() {}

    public static String write(ImageSbom sbom, Instant created, String toolVersion) {
        String when = created.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode doc = JSON.createObjectNode();
        doc.put("spdxVersion", "SPDX-2.3");
        doc.put("dataLicense", "CC0-1.0");
        doc.put("SPDXID", "SPDXRef-DOCUMENT");
        doc.put("name", sbom.name());
        doc.put("documentNamespace", "https://distrolix.dev/spdx/" + sbom.digest().replace(':', '-') + "/"
                + UUID.nameUUIDFromBytes((sbom.digest() + " " + when).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ObjectNode info = doc.putObject("creationInfo");
        info.put("created", when);
        info.putArray("creators").add("Tool: distrolix-" + toolVersion);
        info.put("comment", sbom.check().summary());

        ArrayNode packages = doc.putArray("packages");
        ObjectNode image = packages.addObject();
        image.put("SPDXID", "SPDXRef-Image");
        image.put("name", sbom.name());
        image.put("versionInfo", sbom.digest());
        image.put("downloadLocation", "NOASSERTION");
        image.put("filesAnalyzed", false);
        image.put("primaryPackagePurpose", "CONTAINER");
        for (ImageSbom.Component c : sbom.components()) {
            ObjectNode p = packages.addObject();
            p.put("SPDXID", id(c.baseName()));
            p.put("name", c.name());
            if (!c.version().isEmpty()) {
                p.put("versionInfo", c.version());
            }
            p.put("downloadLocation", "NOASSERTION");
            p.put("filesAnalyzed", false);
            p.put("primaryPackagePurpose", "LIBRARY");
            if (c.narHash() != null) {
                ObjectNode sum = p.putArray("checksums").addObject();
                sum.put("algorithm", "SHA256");
                sum.put("checksumValue", c.narHash().hex());
            }
            ObjectNode ref = p.putArray("externalRefs").addObject();
            ref.put("referenceCategory", "PACKAGE-MANAGER");
            ref.put("referenceType", "purl");
            ref.put("referenceLocator", c.purl());
            p.put("comment", c.storePath() + (c.narHash() != null ? "; checksum: SHA-256 of its NAR (Nix narHash "
                    + c.narHashSri() + ")" : "; NAR hash not computed: " + c.narProblem()));
        }
        ArrayNode rels = doc.putArray("relationships");
        rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image");
        for (ImageSbom.Component c : sbom.components()) {
            rel(rels, "SPDXRef-Image", "CONTAINS", id(c.baseName()));
        }
        sbom.roots().forEach(r -> rel(rels, "SPDXRef-Image", "DEPENDS_ON", id(r)));
        sbom.dependencies().forEach((from, tos) -> tos.forEach(t -> rel(rels, id(from), "DEPENDS_ON", id(t))));
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code SPDXRef-Nix-<hash part>}: store hashes are [0-9a-z], as SPDX ids allow. */
    static String id(String baseName) {
        return "SPDXRef-Nix-" + baseName.substring(0, 32);
    }

    private static void rel(ArrayNode rels, String from, String type, String to) {
        ObjectNode r = rels.addObject();
        r.put("spdxElementId", from);
        r.put("relationshipType", type);
        r.put("relatedSpdxElement", to);
    }
}
