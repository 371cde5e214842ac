package dev.distrolix.sign.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The body of cosign's private key PEM (go-securesystemslib's {@code encrypted} package): JSON
 * {@code {"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":"nacl/secretbox","nonce"},
 * "ciphertext"}}, the ciphertext being {@link SecretBox} of the secret under scrypt(password, salt).
 */
final class KeyEnvelope {
    /** What we write: sigstore's "legacy" strength, the one every reader (old containers/image too) takes. */
    static final int N = 32768;
    static final int R = 8;
    static final int P = 1;
    /**
     * What sigstore readers accept; anything else is refused before scrypt runs, so a hostile file
     * cannot make us spend minutes or gigabytes (scrypt takes 128·N·r bytes).
     */
    static final Set<Integer> READABLE_N = Set.of(32768, 65536, 131072);

    private static final int SALT_BYTES = 32;

    private KeyEnvelope() {}

    /** The envelope's JSON for {@code secret}, with fresh salt and nonce from {@code random}. */
    static byte[] seal(byte[] secret, char[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] nonce = new byte[SecretBox.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] key = derive(password, salt, N, R, P);
        byte[] box;
        try {
            box = SecretBox.seal(key, nonce, secret);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        // field order as Go's encoding/json writes go-securesystemslib's structs
        ObjectNode root = dev.distrolix.json.JsonTrees.object();
        ObjectNode kdf = root.putObject("kdf");
        kdf.put("name", "scrypt");
        kdf.putObject("params").put("N", N).put("r", R).put("p", P);
        kdf.put("salt", Base64.getEncoder().encodeToString(salt));
        root.putObject("cipher").put("name", "nacl/secretbox").put("nonce", Base64.getEncoder().encodeToString(nonce));
        root.put("ciphertext", Base64.getEncoder().encodeToString(box));
        return dev.distrolix.json.JsonTrees.write(root);
    }

    /** The secret in an envelope, or an {@link InputException} naming {@code source} that says what is wrong. */
    static byte[] open(String source, byte[] json, char[] password) {
        JsonNode root;
        try {
            root = dev.distrolix.json.JsonTrees.read(json);
        } catch (IOException e) {
            throw corrupt(source, "the PEM body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw corrupt(source, "the PEM body is not a JSON object");
        }
        JsonNode kdf = root.path("kdf");
        String kdfName = text(source, kdf, "name", "kdf.name");
        if (!"scrypt".equals(kdfName)) {
            throw new InputException(source + ": unsupported key derivation \"" + Pem.printable(kdfName)
                    + "\" (cosign uses scrypt)");
        }
        JsonNode params = kdf.path("params");
        JsonNode n = integer(source, params, "N");
        JsonNode r = integer(source, params, "r");
        JsonNode p = integer(source, params, "p");
        if (!(n.canConvertToInt() && READABLE_N.contains(n.intValue()) && r.asText().equals("8")
                && p.asText().equals("1"))) {
            throw new InputException(source + ": unsupported scrypt parameters N=" + n.asText() + " r=" + r.asText()
                    + " p=" + p.asText() + " (cosign reads N=32768, 65536 or 131072 with r=8, p=1)");
        }
        byte[] salt = base64(source, kdf, "salt", "kdf.salt");
        JsonNode cipher = root.path("cipher");
        String cipherName = text(source, cipher, "name", "cipher.name");
        if (!"nacl/secretbox".equals(cipherName)) {
            throw new InputException(source + ": unsupported cipher \"" + Pem.printable(cipherName)
                    + "\" (cosign uses nacl/secretbox)");
        }
        byte[] nonce = base64(source, cipher, "nonce", "cipher.nonce");
        if (nonce.length != SecretBox.NONCE_BYTES) {
            throw corrupt(source, "cipher.nonce is " + nonce.length + " bytes, not 24");
        }
        byte[] box = base64(source, root, "ciphertext", "ciphertext");
        if (box.length < SecretBox.TAG_BYTES) {
            throw corrupt(source, "the ciphertext is shorter than a secretbox tag");
        }
        byte[] key = derive(password, salt, n.intValue(), 8, 1);
        Optional<byte[]> secret;
        try {
            secret = SecretBox.open(key, nonce, box);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        return secret.orElseThrow(
                () -> new InputException(source + ": wrong password (the secretbox tag does not match)"));
    }

    /** scrypt over the password's UTF-8 bytes (what Go's {@code []byte(string)} gives cosign): OpenSSL's where it can. */
    private static byte[] derive(char[] password, byte[] salt, int n, int r, int p) {
        byte[] utf8 = utf8(password);
        try {
            return ScryptJni.scrypt(utf8, salt, n, r, p, SecretBox.KEY_BYTES);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** UTF-8 without going through a String, which could not be wiped. */
    private static byte[] utf8(char[] password) {
        ByteBuffer encoded;
        try {
            encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 encoding with replacement cannot fail", e);
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    private static String text(String source, JsonNode parent, String field, String name) {
        JsonNode node = parent.path(field);
        if (!node.isTextual()) {
            throw corrupt(source, node.isMissingNode() ? "no " + name : name + " is not a string");
        }
        return node.textValue();
    }

    private static JsonNode integer(String source, JsonNode params, String field) {
        JsonNode node = params.path(field);
        if (!node.isIntegralNumber()) {
            throw corrupt(source, node.isMissingNode() ? "no kdf.params." + field
                    : "kdf.params." + field + " is not an integer");
        }
        return node;
    }

    private static byte[] base64(String source, JsonNode parent, String field, String name) {
        String text = text(source, parent, field, name);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw corrupt(source, name + " is not valid base64");
        }
    }

    private static InputException corrupt(String source, String what) {
        return new InputException(source + ": corrupt (" + what + ")");
    }
}
