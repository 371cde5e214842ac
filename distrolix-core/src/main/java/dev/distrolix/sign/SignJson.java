package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** The JSON of payloads, envelopes, statements and attachment manifests, read bounded ({@code JsonTrees} writes it). */
final class SignJson {
    private SignJson() {}

    /** The document, or an {@link IllegalArgumentException} "WHAT is not JSON" (callers name where). */
    static JsonNode read(byte[] bytes, String what) {
        try {
            return dev.distrolix.json.JsonTrees.read(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON");
        }
    }
}
