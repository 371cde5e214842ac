package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.json.Mappers;
import java.io.IOException;

/** The JSON of payloads, envelopes, statements and attachment manifests: read bounded, written compact. */
final class SignJson {
    private SignJson() {}

    /** The document, or an {@link IllegalArgumentException} "WHAT is not JSON" (callers name where). */
    static JsonNode read(byte[] bytes, String what) {
        try {
            return Mappers.json().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON");
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return Mappers.json().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a tree built in memory always serializes
        }
    }
}
