package dev.distrolix.sign;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Whether an ECDSA P-256 signature over some bytes was made by a key. */
final class SignatureCheck {
    private SignatureCheck() {}

    /**
     * DER (what cosign and skopeo write) or raw r‖s (64 bytes, which sigstore's newer verifier also takes);
     * anything unreadable is simply not a valid signature.
     */
    static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        if (signature == null || signature.length == 0 || signature.length > 256) {
            return false;
        }
        // 64 bytes may be either: a raw r‖s whose r begins with 0x30 (1 in 256) looks like DER's first byte
        return signature.length == 64 && verifies("SHA256withECDSAinP1363Format", key, data, signature)
                || verifies("SHA256withECDSA", key, data, signature);
    }

    private static boolean verifies(String algorithm, PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature (bad DER) is a signature that does not verify
        }
    }
}
