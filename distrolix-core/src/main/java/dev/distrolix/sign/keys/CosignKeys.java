package dev.distrolix.sign.keys;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The key pair cosign uses: ECDSA on P-256 (secp256r1), made and held by the JDK's own provider.
 * BouncyCastle does the point arithmetic the JDK does not expose (Q = d·G) and makes signatures
 * ({@link #sign}): its table of multiples of G is built once for Q, where the JDK's signature would
 * build a table of its own on first use (~0.1 s of a cold start). Signatures are checked with the JDK.
 */
public final class CosignKeys {
    private static final ECParameterSpec P256 = jdkP256();
    /** BouncyCastle's view of the same curve, for {@link #publicKeyOf} and point checks. */
    static final X9ECParameters P256_MATH = CustomNamedCurves.getByName("secp256r1");
    /** The domain signatures are made in; its G carries the precomputed table {@link #publicKeyOf} built. */
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256_MATH);

    private CosignKeys() {}

    /** A fresh P-256 key pair, from the platform's strong default randomness. */
    public static KeyPair generate() {
        return generate(new SecureRandom());
    }

    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /**
     * The public key of a private key: Q = d·G. A loaded key needs this because PKCS#8 may leave the
     * public key out (and the JDK's {@code ECPrivateKey} never carries it), while a signer must hand
     * verifiers the public key.
     */
    public static ECPublicKey publicKeyOf(ECPrivateKey key) {
        if (!isP256(key.getParams())) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
        if (!scalarInRange(key.getS())) {
            throw new IllegalArgumentException("the private scalar is out of range");
        }
        org.bouncycastle.math.ec.ECPoint q =
                new FixedPointCombMultiplier().multiply(DOMAIN.getG(), key.getS()).normalize();
        ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an EC P-256 public key", e);
        }
    }

    /**
     * An ECDSA signature (SHA-256, ASN.1 DER) over {@code data} with the P-256 private {@code key}; k is derived
     * from the key and the digest (RFC 6979), so no randomness is drawn.
     */
    public static byte[] sign(ECPrivateKey key, byte[] data) {
        if (!isP256(key.getParams()) || !scalarInRange(key.getS())) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(key.getS(), DOMAIN));
        BigInteger[] rs = signer.generateSignature(dev.distrolix.blob.Digest.newSha256().digest(data));
        try {
            return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode an ECDSA signature", e);
        }
    }

    /** Whether the JDK parameters are P-256's (compared by value: the JDK may hand out equal copies). */
    static boolean isP256(ECParameterSpec params) {
        return params != null && params.getCurve().equals(P256.getCurve())
                && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder())
                && params.getCofactor() == P256.getCofactor();
    }

    /** A usable private scalar: 1 ≤ d < n (0 or n would make a key that signs nothing verifiable). */
    static boolean scalarInRange(BigInteger d) {
        return d.signum() > 0 && d.compareTo(P256.getOrder()) < 0;
    }

    /** Whether (x, y) is a point of P-256 (the JDK does not check a decoded public key). */
    static boolean onCurve(ECPoint point) {
        if (ECPoint.POINT_INFINITY.equals(point)) {
            return false;
        }
        try {
            P256_MATH.getCurve().validatePoint(point.getAffineX(), point.getAffineY());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ECParameterSpec jdkP256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
