package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * DSSE envelopes (the wrapper cosign puts attestations in): the signature covers the
 * pre-authentication encoding of payload type and body, never the bare statement, so a signed
 * statement cannot be replayed as another type.
 */
public final class Dsse {
    public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    private Dsse() {}

    /** A parsed envelope: its payload type, the raw payload and the signatures (raw bytes). */
    public record Envelope(String payloadType, byte[] payload, List<byte[]> signatures) {
        public Envelope {
            payload = payload.clone();
            signatures = List.copyOf(signatures);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** Whether any of its signatures over the PAE was made by {@code key}. */
        public boolean signedBy(PublicKey key) {
            byte[] pae = pae(payloadType, payload);
            return signatures.stream().anyMatch(s -> SignatureCheck.verifies(key, pae, s));
        }
    }

    /** {@code DSSEv1 <len> <type> <len> <body>}, lengths as ASCII decimal byte counts. */
    static byte[] pae(String payloadType, byte[] body) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** An envelope of an in-toto statement, signed by {@code signer}. */
    public static byte[] sign(byte[] statement, Signer signer) {
        byte[] sig = signer.sign(pae(IN_TOTO, statement));
        ObjectNode env = dev.distrolix.json.JsonTrees.object();
        env.put("payloadType", IN_TOTO);
        env.put("payload", Base64.getEncoder().encodeToString(statement));
        env.putArray("signatures").addObject().put("keyid", "").put("sig", Base64.getEncoder().encodeToString(sig));
        return dev.distrolix.json.JsonTrees.write(env);
    }

    /** Parses an envelope; an {@link IllegalArgumentException} says what is wrong with it. */
    public static Envelope parse(byte[] bytes) {
        JsonNode env = SignJson.read(bytes, "the envelope");
        if (env == null || !env.isObject() || !env.path("payloadType").isTextual() || !env.path("payload").isTextual()
                || !env.path("signatures").isArray()) {
            throw new IllegalArgumentException("not a DSSE envelope (payloadType, payload, signatures)");
        }
        List<byte[]> sigs = new ArrayList<>();
        for (JsonNode s : env.get("signatures")) {
            if (s.path("sig").isTextual()) {
                sigs.add(base64(s.get("sig").asText(), "a signature"));
            }
        }
        return new Envelope(env.get("payloadType").asText(), base64(env.get("payload").asText(), "the payload"), sigs);
    }

    static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(text); // DSSE allows either alphabet
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException(what + " is not base64");
            }
        }
    }
}
