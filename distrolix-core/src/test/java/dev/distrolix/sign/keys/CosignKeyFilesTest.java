package dev.distrolix.sign.keys;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private and public key files: round trips, refusals with one-line messages, modes, no overwrite. */
class CosignKeyFilesTest {
    static final char[] PASSWORD = "correct horse".toCharArray();
    static KeyPair pair;
    /** One encoding shared by the tests that only read it: scrypt costs about half a second. */
    static byte[] encoded;

    @TempDir
    Path tmp;

    @BeforeAll
    static void encodeOnce() {
        pair = CosignKeys.generate();
        encoded = PrivateKeyFile.encode((ECPrivateKey) pair.getPrivate(), PASSWORD, new SecureRandom());
    }

    @Test
    void decodesWhatItEncodes() {
        ECPrivateKey back = PrivateKeyFile.decode("key.private", encoded, PASSWORD.clone());
        assertThat(back.getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
        assertThat(CosignKeys.publicKeyOf(back)).isEqualTo(pair.getPublic());
    }

    @Test
    void writesTheCosignPemTypeAndReadsTheSigstoreOneToo() {
        String text = new String(encoded, US_ASCII);
        assertThat(text).startsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n")
                .endsWith("\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n");
        assertThat(text.lines().skip(1).takeWhile(l -> !l.startsWith("-----")))
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64))
                .first().satisfies(l -> assertThat(l).hasSize(64));
        byte[] sigstore = PrivateKeyFile.encode((ECPrivateKey) pair.getPrivate(), new char[0], new SecureRandom(),
                PrivateKeyFile.SIGSTORE_TYPE);
        assertThat(new String(sigstore, US_ASCII)).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
        // and the empty password is a password like any other
        assertThat(PrivateKeyFile.decode("k", sigstore, new char[0]).getS())
                .isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
        assertThatThrownBy(() -> PrivateKeyFile.decode("k", sigstore, "x".toCharArray()))
                .hasMessage("k: wrong password (the secretbox tag does not match)");
    }

    @Test
    void aWrongPasswordIsOneLineWithoutThePassword() {
        assertThatThrownBy(() -> PrivateKeyFile.decode("env://COSIGN_KEY", encoded, "correct horsf".toCharArray()))
                .isInstanceOf(InputException.class)
                .hasMessage("env://COSIGN_KEY: wrong password (the secretbox tag does not match)");
    }

    @Test
    void theLoadedPrivateKeySignsWhatTheLoadedPublicKeyVerifies() throws Exception {
        Path priv = tmp.resolve("cosign.key");
        Path pub = tmp.resolve("cosign.pub");
        Files.write(priv, encoded);
        PublicKeyFile.write(pub, pair.getPublic(), false);
        ECPrivateKey key = PrivateKeyFile.read(priv, PASSWORD);
        ECPublicKey publicKey = PublicKeyFile.read(pub);
        assertThat(publicKey).isEqualTo(CosignKeys.publicKeyOf(key));
        byte[] payload = "{\"critical\":{}}".getBytes(UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(payload);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(payload);
        assertThat(verifier.verify(signature)).isTrue();
        verifier.initVerify(publicKey);
        verifier.update("{\"critical\":[]}".getBytes(UTF_8));
        assertThat(verifier.verify(signature)).as("another payload").isFalse();
    }

    @Test
    void writesThePrivateKey0600AndThePublicKey0644AndLeavesNoTemp() throws Exception {
        Path priv = tmp.resolve("cosign.key");
        Path pub = tmp.resolve("cosign.pub");
        PrivateKeyFile.write(priv, (ECPrivateKey) pair.getPrivate(), PASSWORD, false);
        PublicKeyFile.write(pub, pair.getPublic(), false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pub))).isEqualTo("rw-r--r--");
        try (var entries = Files.list(tmp)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cosign.key", "cosign.pub");
        }
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(PublicKeyFile.read(pub)).isEqualTo(pair.getPublic());
    }

    @Test
    void neverReplacesAnExistingFileUnlessForced() throws Exception {
        Path priv = Files.writeString(tmp.resolve("cosign.key"), "precious");
        Path pub = Files.writeString(tmp.resolve("cosign.pub"), "precious");
        assertThatThrownBy(() -> PrivateKeyFile.write(priv, (ECPrivateKey) pair.getPrivate(), PASSWORD, false))
                .isInstanceOf(InputException.class).hasMessageContaining("cosign.key: already exists");
        assertThatThrownBy(() -> PublicKeyFile.write(pub, pair.getPublic(), false))
                .isInstanceOf(InputException.class).hasMessageContaining("cosign.pub: already exists");
        assertThat(Files.readString(priv)).isEqualTo("precious");
        assertThat(Files.readString(pub)).isEqualTo("precious");
        PublicKeyFile.write(pub, pair.getPublic(), true);
        assertThat(PublicKeyFile.read(pub)).isEqualTo(pair.getPublic());
    }

    @Test
    void refusesPublicKeysOfOtherKindsNamingThem() throws Exception {
        assertThat(publicKeyRefusal("RSA", 2048)).isEqualTo("cosign.pub: not an ECDSA P-256 public key (it is RSA 2048)");
        assertThat(publicKeyRefusal("Ed25519", null)).isEqualTo("cosign.pub: not an ECDSA P-256 public key (it is Ed25519)");
        assertThat(publicKeyRefusal("EC", "secp384r1")).isEqualTo("cosign.pub: not an ECDSA P-256 public key (it is EC P-384)");
        assertThat(publicKeyRefusal("EC", "secp521r1")).isEqualTo("cosign.pub: not an ECDSA P-256 public key (it is EC P-521)");
    }

    private static String publicKeyRefusal(String algorithm, Object size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (size instanceof Integer bits) {
            generator.initialize(bits);
        } else if (size instanceof String curve) {
            generator.initialize(new ECGenParameterSpec(curve));
        }
        byte[] pem = Pem.encode("PUBLIC KEY", generator.generateKeyPair().getPublic().getEncoded()).getBytes(US_ASCII);
        try {
            PublicKeyFile.decode("cosign.pub", pem);
        } catch (InputException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted a " + algorithm + " key");
    }

    @Test
    void refusesAPrivateKeyOfAnotherKindNamingIt() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        byte[] json = KeyEnvelope.seal(rsa.generateKeyPair().getPrivate().getEncoded(), PASSWORD, new SecureRandom());
        byte[] pem = Pem.encode(PrivateKeyFile.COSIGN_TYPE, json).getBytes(US_ASCII);
        assertThatThrownBy(() -> PrivateKeyFile.decode("key.private", pem, PASSWORD))
                .isInstanceOf(InputException.class)
                .hasMessage("key.private: not an ECDSA P-256 private key (it is RSA 2048)");
    }

    @Test
    void saysWhatIsWrongWithABrokenFileInOneLine() {
        String text = new String(encoded, US_ASCII);
        String publicPem = PublicKeyFile.encode(pair.getPublic());
        assertThat(privateRefusal("hello")).isEqualTo("key.private: not PEM (no -----BEGIN line)");
        assertThat(privateRefusal(text.substring(0, text.length() / 2)))
                .startsWith("key.private: not PEM (a -----BEGIN line without its matching -----END line");
        assertThat(privateRefusal(publicPem)).isEqualTo("key.private: not a cosign private key (PEM type is PUBLIC KEY)");
        assertThat(privateRefusal("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\nQUJD=X==\n"
                + "-----END ENCRYPTED COSIGN PRIVATE KEY-----\n")).isEqualTo("key.private: corrupt (the PEM body is not valid base64)");
        assertThat(privateRefusal(Pem.encode(PrivateKeyFile.COSIGN_TYPE, new byte[] {1, 2, 3})))
                .isEqualTo("key.private: corrupt (the PEM body is not JSON)");
        // the ciphertext cut short: the tag no longer matches, which is all a reader can tell
        String json = new String(Base64.getMimeDecoder().decode(text.lines().filter(l -> !l.startsWith("-----"))
                .reduce("", String::concat)), UTF_8);
        String cut = json.replaceFirst("(\"ciphertext\":\"[^\"]{40})[^\"]*\"", "$1\"");
        assertThat(privateRefusal(Pem.encode(PrivateKeyFile.COSIGN_TYPE, cut.getBytes(UTF_8))))
                .isEqualTo("key.private: wrong password (the secretbox tag does not match)");
        assertThat(publicRefusal(text)).isEqualTo("cosign.pub: not a public key (PEM type is ENCRYPTED COSIGN PRIVATE KEY)");
        assertThat(publicRefusal(Pem.encode("PUBLIC KEY", new byte[] {0x30, 0x03, 1, 2, 3})))
                .isEqualTo("cosign.pub: corrupt (not an X.509 SubjectPublicKeyInfo)");
        byte[] offCurve = pair.getPublic().getEncoded();
        offCurve[offCurve.length - 1] ^= 1; // y changed, x kept: no longer a point of the curve
        assertThat(publicRefusal(Pem.encode("PUBLIC KEY", offCurve)))
                .isEqualTo("cosign.pub: corrupt (the public point is not on the P-256 curve)");
    }

    private static String privateRefusal(String content) {
        try {
            PrivateKeyFile.decode("key.private", content.getBytes(US_ASCII), PASSWORD);
        } catch (InputException e) {
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(new String(PASSWORD));
            return e.getMessage();
        }
        throw new AssertionError("accepted " + content);
    }

    private static String publicRefusal(String content) {
        try {
            PublicKeyFile.decode("cosign.pub", content.getBytes(US_ASCII));
        } catch (InputException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted " + content);
    }

    @Test
    void refusesFilesLargerThan64KiBBeforeParsing() throws Exception {
        byte[] big = Arrays.copyOf(encoded, 64 * 1024 + 1);
        Arrays.fill(big, encoded.length, big.length, (byte) '\n');
        Path file = Files.write(tmp.resolve("big.key"), big);
        assertThatThrownBy(() -> PrivateKeyFile.read(file, PASSWORD)).isInstanceOf(InputException.class)
                .hasMessage(file + ": too large for a key file (65537 bytes, at most 65536)");
        assertThatThrownBy(() -> PublicKeyFile.decode("env://PUB", big))
                .hasMessage("env://PUB: too large for a key file (65537 bytes, at most 65536)");
        // exactly 64 KiB is still a key file (a PEM with trailing blank lines)
        assertThat(PrivateKeyFile.decode("k", Arrays.copyOf(big, 64 * 1024), PASSWORD).getS())
                .isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
    }

    @Test
    void aMissingFileIsOneLine() {
        Path missing = tmp.resolve("nope.key");
        assertThatThrownBy(() -> PrivateKeyFile.read(missing, PASSWORD)).isInstanceOf(InputException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> PublicKeyFile.read(tmp)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(tmp + ": cannot read (");
    }
}
