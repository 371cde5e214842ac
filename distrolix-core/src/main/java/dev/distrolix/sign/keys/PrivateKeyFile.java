package dev.distrolix.sign.keys;

import dev.distrolix.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

/**
 * cosign's private key file: one PEM block whose body is the JSON {@link KeyEnvelope} around the
 * PKCS#8 DER of an ECDSA P-256 key. We write the {@value #COSIGN_TYPE} type (the one containers/image's
 * older loader takes) and read it and cosign 2's {@value #SIGSTORE_TYPE}.
 */
public final class PrivateKeyFile {
    public static final String COSIGN_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";
    public static final String SIGSTORE_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
    private static final Set<String> READABLE_TYPES = Set.of(COSIGN_TYPE, SIGSTORE_TYPE);

    private PrivateKeyFile() {}

    /** The file's bytes for {@code key} encrypted under {@code password} (may be empty). */
    public static byte[] encode(ECPrivateKey key, char[] password, SecureRandom random) {
        return encode(key, password, random, COSIGN_TYPE);
    }

    /** As {@link #encode(ECPrivateKey, char[], SecureRandom)} with another PEM type (tests write cosign 2's). */
    static byte[] encode(ECPrivateKey key, char[] password, SecureRandom random, String pemType) {
        if (!CosignKeys.isP256(key.getParams())) {
            throw new IllegalArgumentException("cosign key files hold EC P-256 keys");
        }
        byte[] der = key.getEncoded(); // the JDK's encoding is PKCS#8
        try {
            byte[] json = KeyEnvelope.seal(der, password, random);
            return Pem.encode(pemType, json).getBytes(StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * The key in a private key file's {@code content}; {@code source} names it in errors (a path, or
     * {@code env://NAME} for a key given in an environment variable).
     */
    public static ECPrivateKey decode(String source, byte[] content, char[] password) {
        Pem.Block block = Pem.decode(source, content);
        if (!READABLE_TYPES.contains(block.type())) {
            throw new InputException(source + ": not a cosign private key (PEM type is "
                    + Pem.printable(block.type()) + ")");
        }
        byte[] der = KeyEnvelope.open(source, block.body(), password);
        try {
            return fromPkcs8(source, der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    public static ECPrivateKey read(Path path, char[] password) {
        return decode(path.toString(), KeyFiles.read(path), password);
    }

    /** Writes {@code key} to {@code path} with mode 0600, replacing an existing file only if {@code force}. */
    public static void write(Path path, ECPrivateKey key, char[] password, boolean force) {
        KeyFiles.checkNotExisting(path, force); // before scrypt's half second
        KeyFiles.write(path, encode(key, password, new SecureRandom()), KeyFiles.PRIVATE, force);
    }

    private static ECPrivateKey fromPkcs8(String source, byte[] der) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) { // BouncyCastle's ASN.1 parsing fails with several runtime exceptions
            throw corrupt(source, "the decrypted key is not PKCS#8");
        }
        if (info == null) {
            throw corrupt(source, "the decrypted key is not PKCS#8");
        }
        String type = KeyTypes.describe(info.getPrivateKeyAlgorithm(), () -> {
            try {
                return RSAPrivateKey.getInstance(info.parsePrivateKey()).getModulus();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        });
        if (!KeyTypes.P256.equals(type)) {
            throw new InputException(source + ": not an ECDSA P-256 private key (it is " + type + ")");
        }
        ECPrivateKey key;
        try {
            key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw corrupt(source, "the decrypted EC key does not parse");
        }
        if (!CosignKeys.isP256(key.getParams())) {
            throw new InputException(source + ": not an ECDSA P-256 private key");
        }
        if (!CosignKeys.scalarInRange(key.getS())) {
            throw corrupt(source, "the private scalar is out of range");
        }
        return key;
    }

    private static InputException corrupt(String source, String what) {
        return new InputException(source + ": corrupt (" + what + ")");
    }
}
