package dev.distrolix.sign.keys;

import java.math.BigInteger;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * What kind of key an X.509 SubjectPublicKeyInfo or a PKCS#8 PrivateKeyInfo holds, read from its
 * algorithm identifier, so that a refusal can say what the user gave ("RSA 2048", "EC P-384",
 * "Ed25519") rather than just "not P-256".
 */
final class KeyTypes {
    /** What {@link #describe} says of the one kind we take. */
    static final String P256 = "EC P-256";

    private KeyTypes() {}

    /**
     * {@code "EC P-256"}, {@code "EC P-384"}, {@code "RSA 2048"}, {@code "Ed25519"}, … — a short name
     * for messages. {@code rsaModulus} is asked only for RSA keys (and may throw on a corrupt key).
     */
    static String describe(AlgorithmIdentifier algorithm, Supplier<BigInteger> rsaModulus) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return "EC " + curveName(algorithm);
        }
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption) || oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            try {
                return "RSA " + rsaModulus.get().bitLength();
            } catch (RuntimeException e) {
                return "RSA";
            }
        }
        return switch (oid.getId()) {
            case "1.3.101.110" -> "X25519";
            case "1.3.101.111" -> "X448";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            case "1.2.840.10040.4.1" -> "DSA";
            case "1.2.840.10046.2.1" -> "Diffie-Hellman";
            default -> "a key of algorithm " + oid.getId();
        };
    }

    private static String curveName(AlgorithmIdentifier algorithm) {
        X962Parameters params;
        try {
            params = X962Parameters.getInstance(algorithm.getParameters());
        } catch (RuntimeException e) {
            return "with unreadable curve parameters";
        }
        if (params == null || !params.isNamedCurve()) {
            // Go's x509 (so cosign) takes named curves only; so do we
            return "with explicit curve parameters";
        }
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(params.getParameters());
        String nist = NISTNamedCurves.getName(curve);
        if (nist != null) {
            return nist;
        }
        String other = ECNamedCurveTable.getName(curve);
        return other != null ? other : "curve " + curve.getId();
    }
}
