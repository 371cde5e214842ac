package dev.distrolix.inspect.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI layout holding one index of {@link HandMadeImages}, each entry labelled with whatever
 * platform the test says — also one its config does not name. The nested form distrolix and
 * {@code skopeo copy --all} write: index.json lists the index (tagged), the index lists the
 * images with their platforms.
 */
public final class HandMadeIndex {
    private record Entry(HandMadeImages image, String label, boolean attestation) {}

    private final List<Entry> entries = new ArrayList<>();

    /** An entry for {@code image}, labelled {@code os/arch[/variant]} (null: no platform). */
    public HandMadeIndex image(HandMadeImages image, String label) {
        entries.add(new Entry(image, label, false));
        return this;
    }

    /** An attestation manifest as buildkit adds one: platform unknown/unknown, never a platform's image. */
    public HandMadeIndex attestation() {
        entries.add(new Entry(new HandMadeImages().platform("unknown", "unknown", null)
                .layer(l -> l.file("statement.json", 0644, "{}")), "unknown/unknown", true));
        return this;
    }

    /** Writes the layout with the index tagged {@code tag}; returns {@code oci:DIR}. */
    public String write(Path dir, String tag) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        String first = null;
        for (Entry e : entries) {
            ObjectNode d = e.image().writeBlobs(dir);
            first = first == null ? d.get("digest").asText() : first;
            if (e.label() != null) {
                String[] p = e.label().split("/");
                ObjectNode platform = d.putObject("platform").put("architecture", p[1]).put("os", p[0]);
                if (p.length > 2) {
                    platform.put("variant", p[2]);
                }
            }
            if (e.attestation()) {
                d.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
                        .put("vnd.docker.reference.digest", first);
            }
            manifests.add(d);
        }
        byte[] bytes = json.writeValueAsBytes(index);
        ObjectNode top = json.createObjectNode().put("schemaVersion", 2);
        top.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.index.v1+json")
                .put("digest", HandMadeImages.put(dir.resolve("blobs/sha256"), bytes)).put("size", bytes.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(dir.resolve("index.json"), json.writeValueAsBytes(top));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
        return "oci:" + dir;
    }
}
