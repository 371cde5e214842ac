package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import java.util.Locale;
import java.util.Optional;

/** In-toto statements about one image: an SBOM or a provenance record as the predicate. */
public final class Statements {
    public static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";

    private Statements() {}

    /** The predicate types distrolix attaches, by the name {@code verify --attestation} takes. */
    public enum Kind {
        SBOM("https://cyclonedx.org/bom"),
        PROVENANCE("https://slsa.dev/provenance/v1");

        private final String predicateType;

        Kind(String predicateType) {
            this.predicateType = predicateType;
        }

        public String predicateType() {
            return predicateType;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> ofPredicateType(String type) {
            for (Kind k : values()) {
                if (k.predicateType.equals(type)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        /** sbom or provenance; anything else is an IllegalArgumentException naming the choices. */
        public static Kind parse(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label.toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("'" + label + "' is not an attestation type (expected sbom or provenance)");
        }
    }

    /** A statement whose subject is the image {@code name} (HOST/REPO) at {@code digest}. */
    public static byte[] statement(String name, Digest digest, String predicateType, JsonNode predicate) {
        ObjectNode s = dev.distrolix.json.JsonTrees.object();
        s.put("_type", STATEMENT_V1);
        ObjectNode subject = s.putArray("subject").addObject();
        subject.put("name", name);
        subject.putObject("digest").put(digest.algorithm(), digest.hex());
        s.put("predicateType", predicateType);
        s.set("predicate", predicate);
        return dev.distrolix.json.JsonTrees.write(s);
    }

    /** A parsed statement: its predicate type, whether a subject is {@code digest}, and the predicate. */
    public record Parsed(String predicateType, boolean covers, JsonNode predicate, JsonNode statement) {}

    /** Reads a statement; an {@link IllegalArgumentException} says what is wrong. */
    public static Parsed parse(byte[] bytes, Digest digest) {
        JsonNode s = SignJson.read(bytes, "the statement");
        if (s == null || !s.isObject() || !s.path("predicateType").isTextual() || !s.path("subject").isArray()) {
            throw new IllegalArgumentException("not an in-toto statement (predicateType, subject)");
        }
        boolean covers = false;
        for (JsonNode subject : s.get("subject")) {
            if (digest.hex().equals(subject.path("digest").path(digest.algorithm()).asText(null))) {
                covers = true;
            }
        }
        return new Parsed(s.get("predicateType").asText(), covers, s.path("predicate"), s);
    }
}
