package dev.distrolix.sign.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPoint;
import org.junit.jupiter.api.Test;

class CosignKeysTest {
    @Test
    void generatesP256Keys() {
        KeyPair pair = CosignKeys.generate();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        assertThat(pub.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(CosignKeys.isP256(pub.getParams())).isTrue();
        assertThat(pair.getPrivate().getFormat()).isEqualTo("PKCS#8");
        assertThat(pub.getFormat()).isEqualTo("X.509");
    }

    @Test
    void derivesThePublicKeyOfGeneratedKeys() {
        for (int i = 0; i < 5; i++) {
            KeyPair pair = CosignKeys.generate();
            ECPublicKey derived = CosignKeys.publicKeyOf((ECPrivateKey) pair.getPrivate());
            assertThat(derived).isEqualTo(pair.getPublic());
            assertThat(derived.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void derivesKnownPoints() throws Exception {
        ECPublicKey any = (ECPublicKey) CosignKeys.generate().getPublic();
        ECPoint g = any.getParams().getGenerator();
        BigInteger n = any.getParams().getOrder();
        BigInteger p = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
        // 1·G = G, (n−1)·G = −G
        assertThat(CosignKeys.publicKeyOf(privateKey(BigInteger.ONE, any)).getW()).isEqualTo(g);
        assertThat(CosignKeys.publicKeyOf(privateKey(n.subtract(BigInteger.ONE), any)).getW())
                .isEqualTo(new ECPoint(g.getAffineX(), p.subtract(g.getAffineY())));
        // P-256's published generator, to be sure the curve is P-256 at all
        assertThat(g.getAffineX().toString(16)).isEqualTo("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
        assertThatThrownBy(() -> CosignKeys.publicKeyOf(privateKey(n, any))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToDeriveFromAnotherCurve() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        ECPrivateKey p384 = (ECPrivateKey) generator.generateKeyPair().getPrivate();
        assertThatThrownBy(() -> CosignKeys.publicKeyOf(p384)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivateKeyFile.encode(p384, new char[0], new java.security.SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ECPrivateKey privateKey(BigInteger s, ECPublicKey like) throws Exception {
        return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, like.getParams()));
    }

    /** BouncyCastle's signatures are what the JDK (and every sigstore verifier) checks: DER, over SHA-256. */
    @Test
    void signaturesVerifyWithTheJdkAndAreDeterministic() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            KeyPair pair = CosignKeys.generate();
            byte[] data = new byte[r.nextInt(200)];
            for (int j = 0; j < data.length; j++) {
                data[j] = (byte) r.nextInt();
            }
            byte[] sig = CosignKeys.sign((java.security.interfaces.ECPrivateKey) pair.getPrivate(), data);
            java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
            v.initVerify(pair.getPublic());
            v.update(data);
            assertThat(v.verify(sig)).isTrue();
            assertThat(CosignKeys.sign((java.security.interfaces.ECPrivateKey) pair.getPrivate(), data)).isEqualTo(sig);
            byte[] other = java.util.Arrays.copyOf(data, data.length + 1);
            v.initVerify(pair.getPublic());
            v.update(other);
            assertThat(v.verify(sig)).isFalse();
        }
    }
}
