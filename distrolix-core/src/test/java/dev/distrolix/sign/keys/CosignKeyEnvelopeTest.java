package dev.distrolix.sign.keys;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import dev.distrolix.InputException;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON envelope against go-securesystemslib's {@code encrypted/encrypted_test.go} (the library cosign's
 * key files use): TestDecrypt's vector and kdfVectors for the three scrypt strengths, all of the plaintext
 * "reallyimportant" under the passphrase "supersecret".
 */
class CosignKeyEnvelopeTest {
    static final char[] PASSPHRASE = "supersecret".toCharArray();
    static final byte[] PLAINTEXT = "reallyimportant".getBytes(UTF_8);

    /** TestDecrypt's vector. */
    static final String DECRYPT = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},"
            + "\"salt\":\"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
            + "\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"},\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"}";
    /** kdfVectors: Legacy (N=32768), Standard (65536), OWASP (131072). */
    static final String LEGACY = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},"
            + "\"salt\":\"WO3mVvyTwJ9vwT5/Tk5OW5WPIBUofMjcpEfrLnfY4uA=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
            + "\"nonce\":\"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX\"},\"ciphertext\":\"08n43p5G5yviPEZpO7tPPF4aZQkWiWjkv4taFdhDBA0tamKH4nw=\"}";
    static final String STANDARD = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},"
            + "\"salt\":\"FhzPOt9/bJG4PTq6lQ6ecG6GzaOuOy/ynG5+yRiFlNs=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
            + "\"nonce\":\"aw1ng1jHaDz/tQ7V2gR9O2+IGQ8xJEuE\"},\"ciphertext\":\"HycvuLZL4sYH0BrYTh4E/H20VtAW6u5zL5Pr+IBjYLYnCPzDkq8=\"}";
    static final String OWASP = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":131072,\"r\":8,\"p\":1},"
            + "\"salt\":\"m38E3kouJTtiheLQN22NQ8DTito5hrjpUIskqcd375k=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
            + "\"nonce\":\"Y6PM13yA+o44pE/W1ZBwczeGnTV/m9Zc\"},\"ciphertext\":\"6H8sqj1K6B6yDjtH5AQ6lbFigg/C2yDDJc4rYJ79w9aVPImFIPI=\"}";
    /** TestUnsupportedKDFParameters's vector. */
    static final String UNSUPPORTED = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":99,\"r\":99,\"p\":99},"
            + "\"salt\":\"cZFcQJdwPhPyhU1R4qkl0qVOIjZd4V/7LYYAavq166k=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
            + "\"nonce\":\"7vhRS7j0hEPBWV05skAdgLj81AkGeE7U\"},\"ciphertext\":\"6WYU/YSXVbYzl/NzaeAzmjLyfFhOOjLc0d8/GFV0aBFdJvyCcXc=\"}";

    @Test
    void opensGoSecuresystemslibsDecryptVector() {
        assertThat(KeyEnvelope.open("v", DECRYPT.getBytes(UTF_8), PASSPHRASE)).isEqualTo(PLAINTEXT);
    }

    /**
     * The kdfVectors were made by go-securesystemslib's {@code Marshal}, which seals the JSON of the
     * plaintext: Go encodes a {@code []byte} as a base64 string, so the secret is {@code "cmVhbGx5aW1wb3J0YW50"}
     * with its quotes (its {@code Unmarshal} decodes that JSON after opening).
     */
    @ParameterizedTest
    @ValueSource(strings = {"LEGACY", "STANDARD", "OWASP"})
    void opensGoSecuresystemslibKdfVectorsOfAllThreeStrengths(String name) throws Exception {
        String json = (String) CosignKeyEnvelopeTest.class.getDeclaredField(name).get(null);
        String marshalled = "\"" + java.util.Base64.getEncoder().encodeToString(PLAINTEXT) + "\"";
        assertThat(marshalled).isEqualTo("\"cmVhbGx5aW1wb3J0YW50\"");
        assertThat(new String(KeyEnvelope.open("v", json.getBytes(UTF_8), PASSPHRASE), UTF_8)).isEqualTo(marshalled);
    }

    @Test
    void aVectorUnderTheWrongPassphraseIsAWrongPassword() {
        assertThatThrownBy(() -> KeyEnvelope.open("v", DECRYPT.getBytes(UTF_8), "supersecreT".toCharArray()))
                .isInstanceOf(InputException.class)
                .hasMessage("v: wrong password (the secretbox tag does not match)");
    }

    @Test
    void refusesGoSecuresystemslibsUnsupportedParametersWithoutScrypt() {
        assertThatThrownBy(() -> KeyEnvelope.open("v", UNSUPPORTED.getBytes(UTF_8), PASSPHRASE))
                .isInstanceOf(InputException.class)
                .hasMessage("v: unsupported scrypt parameters N=99 r=99 p=99"
                        + " (cosign reads N=32768, 65536 or 131072 with r=8, p=1)");
    }

    @Test
    void aVectorInAPemIsDecryptedThenRefusedAsNotAKey() {
        // the password is right (no tag mismatch), but "reallyimportant" is no PKCS#8 key
        byte[] pem = Pem.encode(PrivateKeyFile.COSIGN_TYPE, DECRYPT.getBytes(UTF_8)).getBytes(US_ASCII);
        assertThatThrownBy(() -> PrivateKeyFile.decode("vector.key", pem, PASSPHRASE))
                .isInstanceOf(InputException.class)
                .hasMessage("vector.key: corrupt (the decrypted key is not PKCS#8)");
    }

    @Test
    void sealsWhatGoSecuresystemslibWritesAndOpensIt() throws Exception {
        byte[] json = KeyEnvelope.seal(PLAINTEXT, PASSPHRASE, new SecureRandom());
        var root = dev.distrolix.json.JsonTrees.read(json);
        assertThat(root.at("/kdf/name").asText()).isEqualTo("scrypt");
        assertThat(root.at("/kdf/params/N").intValue()).isEqualTo(32768);
        assertThat(root.at("/kdf/params/r").intValue()).isEqualTo(8);
        assertThat(root.at("/kdf/params/p").intValue()).isEqualTo(1);
        assertThat(root.at("/kdf/salt").binaryValue()).hasSize(32);
        assertThat(root.at("/cipher/name").asText()).isEqualTo("nacl/secretbox");
        assertThat(root.at("/cipher/nonce").binaryValue()).hasSize(24);
        assertThat(root.at("/ciphertext").binaryValue()).hasSize(PLAINTEXT.length + 16);
        assertThat(new String(json, UTF_8)).startsWith("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"")
                .contains("},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"").contains("\"},\"ciphertext\":\"");
        assertThat(KeyEnvelope.open("v", json, PASSPHRASE)).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"N\":1024,\"r\":8,\"p\":1", "\"N\":1048576,\"r\":8,\"p\":1", "\"N\":32768,\"r\":16,\"p\":1",
            "\"N\":32768,\"r\":8,\"p\":2", "\"N\":99999999999999999999,\"r\":8,\"p\":1", "\"N\":-32768,\"r\":8,\"p\":1"})
    void refusesOtherScryptParametersBeforeRunningScrypt(String params) {
        String json = LEGACY.replace("\"N\":32768,\"r\":8,\"p\":1", params);
        // N=2^20 would take a GiB and many seconds, were scrypt run
        assertTimeout(Duration.ofMillis(500), () -> assertThatThrownBy(
                () -> KeyEnvelope.open("key.private", json.getBytes(UTF_8), PASSPHRASE))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("key.private: unsupported scrypt parameters N=")
                .hasMessageEndingWith(" (cosign reads N=32768, 65536 or 131072 with r=8, p=1)"));
    }

    @Test
    void namesTheBadParameterExactly() {
        String json = LEGACY.replace("\"N\":32768", "\"N\":1024");
        assertThatThrownBy(() -> KeyEnvelope.open("key.private", json.getBytes(UTF_8), PASSPHRASE))
                .hasMessage("key.private: unsupported scrypt parameters N=1024 r=8 p=1"
                        + " (cosign reads N=32768, 65536 or 131072 with r=8, p=1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json|corrupt (the PEM body is not JSON)",
        "[1,2]|corrupt (the PEM body is not a JSON object)",
        "{}|corrupt (no kdf.name)",
        "{\"kdf\":{\"name\":\"argon2\"}}|unsupported key derivation \"argon2\" (cosign uses scrypt)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768.0,\"r\":8,\"p\":1}}}|corrupt (kdf.params.N is not an integer)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"r\":8,\"p\":1}}}|corrupt (no kdf.params.N)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"%%%\"}}|corrupt (kdf.salt is not valid base64)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},\"cipher\":{\"name\":\"aes\"}}"
                + "|unsupported cipher \"aes\" (cosign uses nacl/secretbox)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},"
                + "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAA\"}}|corrupt (cipher.nonce is 3 bytes, not 24)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},\"cipher\":"
                + "{\"name\":\"nacl/secretbox\",\"nonce\":\"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX\"}}|corrupt (no ciphertext)",
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},\"cipher\":"
                + "{\"name\":\"nacl/secretbox\",\"nonce\":\"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX\"},\"ciphertext\":\"AAAA\"}"
                + "|corrupt (the ciphertext is shorter than a secretbox tag)",
    })
    void saysWhatIsWrongWithABrokenEnvelopeInOneLine(String row) {
        String[] parts = row.split("\\|");
        assertThatThrownBy(() -> KeyEnvelope.open("env://KEY", parts[0].getBytes(UTF_8), PASSPHRASE))
                .isInstanceOf(InputException.class)
                .hasMessage("env://KEY: " + parts[1]);
    }
}
