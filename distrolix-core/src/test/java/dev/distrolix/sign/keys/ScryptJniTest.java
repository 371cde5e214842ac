package dev.distrolix.sign.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL's scrypt through distrolix's crypto library, as the build made it: RFC 7914's vectors, and cosign's
 * parameters with the keys BouncyCastle derives.
 */
class ScryptJniTest {
    static Path library() {
        return Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-crypto.so");
    }

    static byte[] derive(String password, byte[] salt, int n, int r, int p, int length) {
        byte[] out = new byte[length];
        assertThat(ScryptJni.derive(password.getBytes(StandardCharsets.UTF_8), salt, n, r, p, out))
                .as("OpenSSL derived N=%d r=%d p=%d", n, r, p).isTrue();
        return out;
    }

    @Test
    void rfc7914sVectorsAreDerived() {
        ScryptJni.load(library()); // its self-test is the first vector
        assertThat(HexFormat.of().formatHex(derive("password", "NaCl".getBytes(StandardCharsets.US_ASCII), 1024,
                8, 16, 64))).isEqualTo("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    }

    @Test
    void cosignsParametersGiveBouncyCastlesKeys() {
        ScryptJni.load(library());
        Random random = new Random(5);
        for (String password : new String[] {"", "correct horse", "pässwörd ✓"}) {
            byte[] salt = new byte[32];
            random.nextBytes(salt);
            byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
            assertThat(derive(password, salt, KeyEnvelope.N, KeyEnvelope.R, KeyEnvelope.P, 32)).as(password)
                    .isEqualTo(SCrypt.generate(utf8, salt, KeyEnvelope.N, KeyEnvelope.R, KeyEnvelope.P, 32));
        }
    }

    @Test
    void theLargestNCosignReadsFitsUnderTheMemoryCapGiven() {
        ScryptJni.load(library());
        byte[] salt = new byte[32];
        assertThat(derive("x", salt, 131072, 8, 1, 32)).isEqualTo(SCrypt.generate(new byte[] {'x'}, salt, 131072, 8, 1, 32));
    }

    @Test
    void aMissingLibraryOrAFileThatIsNotOneIsRefusedSayingSo(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("libdistrolix-crypto.so");
        assertThatThrownBy(() -> ScryptJni.load(missing)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(missing + " is not a file");
        Files.writeString(missing, "not a library\n");
        assertThatThrownBy(() -> ScryptJni.load(missing)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(missing + " is not an ELF library");
    }
}
