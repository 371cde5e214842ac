package dev.distrolix.nix.substituter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL's Ed25519 verification through distrolix's crypto library, as the build made it: RFC 8032's test at
 * load, and the JDK's answer for signatures good and bad.
 */
class Ed25519JniTest {
    static Path library() {
        return Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-crypto.so");
    }

    /** The 32 raw bytes of a JDK Ed25519 public key (its X.509 encoding's last 32). */
    static byte[] raw(KeyPair pair) {
        byte[] x509 = pair.getPublic().getEncoded();
        return Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    }

    @Test
    void givesTheJdksAnswerForGoodAndBadSignatures() throws Exception {
        Ed25519Jni.load(library()); // RFC 8032's first test
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        KeyPair pair = generator.generateKeyPair();
        KeyPair other = generator.generateKeyPair();
        Random r = new Random(8);
        for (int i = 0; i < 100; i++) {
            byte[] message = new byte[r.nextInt(300)];
            r.nextBytes(message);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(message);
            byte[] sig = signer.sign();
            assertThat(Ed25519Jni.verify(raw(pair), message, sig)).isEqualTo(1);
            assertThat(Ed25519Jni.verify(raw(other), message, sig)).as("another key").isZero();
            // one bit changed: in the signature for even cases, in the message for odd ones
            byte[] badSig = sig.clone();
            byte[] badMessage = message.clone();
            if (i % 2 == 0 || message.length == 0) {
                badSig[r.nextInt(64)] ^= (byte) (1 << r.nextInt(8));
            } else {
                badMessage[r.nextInt(message.length)] ^= 1;
            }
            boolean jdk = jdkVerify(pair, badMessage, badSig);
            assertThat(Ed25519Jni.verify(raw(pair), badMessage, badSig)).as("case %d", i).isEqualTo(jdk ? 1 : 0);
        }
    }

    static boolean jdkVerify(KeyPair pair, byte[] message, byte[] sig) throws Exception {
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pair.getPublic());
        v.update(message);
        try {
            return v.verify(sig);
        } catch (java.security.SignatureException e) {
            return false; // "Invalid point": TrustedKeys takes it as not verified
        }
    }

    @Test
    void aKeyThatIsNotAPointVerifiesNothingAndWrongLengthsAreFailures() {
        Ed25519Jni.load(library());
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xff);
        assertThat(Ed25519Jni.verify(notAPoint, new byte[] {1}, new byte[64])).isZero();
        assertThat(Ed25519Jni.verify(new byte[31], new byte[0], new byte[64])).isNegative();
        assertThat(Ed25519Jni.verify(new byte[32], new byte[0], new byte[63])).isNegative();
    }
}
