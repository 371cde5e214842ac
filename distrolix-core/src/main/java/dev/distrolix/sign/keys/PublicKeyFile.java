package dev.distrolix.sign.keys;

import dev.distrolix.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * cosign's public key file ({@code cosign.pub}): PEM {@value #TYPE}, the X.509 SubjectPublicKeyInfo DER
 * of an ECDSA P-256 key — what {@code cosign verify --key} and a containers policy's {@code keyPath} read.
 */
public final class PublicKeyFile {
    public static final String TYPE = "PUBLIC KEY";

    private PublicKeyFile() {}

    /** The PEM text of an EC P-256 public key. */
    public static String encode(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || !CosignKeys.isP256(ec.getParams())) {
            throw new IllegalArgumentException("cosign key files hold EC P-256 keys");
        }
        return Pem.encode(TYPE, key.getEncoded()); // the JDK's encoding is SubjectPublicKeyInfo
    }

    /** The key in a public key file's {@code content}; {@code source} names it in errors. */
    public static ECPublicKey decode(String source, byte[] content) {
        Pem.Block block = Pem.decode(source, content);
        if (!TYPE.equals(block.type())) {
            throw new InputException(source + ": not a public key (PEM type is " + Pem.printable(block.type()) + ")");
        }
        byte[] der = block.body();
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) { // BouncyCastle's ASN.1 parsing fails with several runtime exceptions
            throw corrupt(source, "not an X.509 SubjectPublicKeyInfo");
        }
        if (info == null) {
            throw corrupt(source, "not an X.509 SubjectPublicKeyInfo");
        }
        String type = KeyTypes.describe(info.getAlgorithm(), () -> {
            try {
                return RSAPublicKey.getInstance(info.parsePublicKey()).getModulus();
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        });
        if (!KeyTypes.P256.equals(type)) {
            throw new InputException(source + ": not an ECDSA P-256 public key (it is " + type + ")");
        }
        ECPublicKey key;
        try {
            key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw corrupt(source, "the EC public key does not parse");
        }
        if (!CosignKeys.isP256(key.getParams())) {
            throw new InputException(source + ": not an ECDSA P-256 public key");
        }
        if (!CosignKeys.onCurve(key.getW())) {
            throw corrupt(source, "the public point is not on the P-256 curve");
        }
        return key;
    }

    public static ECPublicKey read(Path path) {
        return decode(path.toString(), KeyFiles.read(path));
    }

    /** Writes {@code key} to {@code path} with mode 0644, replacing an existing file only if {@code force}. */
    public static void write(Path path, PublicKey key, boolean force) {
        KeyFiles.write(path, encode(key).getBytes(StandardCharsets.US_ASCII), KeyFiles.PUBLIC, force);
    }

    private static InputException corrupt(String source, String what) {
        return new InputException(source + ": corrupt (" + what + ")");
    }
}
