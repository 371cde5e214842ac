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
        String algorithm = signature.length == 64 && signature[0] != 0x30 ? "SHA256withECDSAinP1363Format"
                : "SHA256withECDSA";
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
