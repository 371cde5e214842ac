package dev.distrolix.sign;

import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Objects;

/**
 * Signs bytes. The one implementation today holds a private key; a keyless signer (a Fulcio
 * certificate for an OIDC identity, the signature logged in Rekor) would be another, which is why
 * signing code sees only this interface and the public key a verifier will need.
 */
public interface Signer {
    /** An ASN.1 DER ECDSA signature (SHA-256) over {@code data}: what podman and cosign check. */
    byte[] sign(byte[] data);

    PublicKey publicKey();

    /** A signer holding an EC P-256 private key. */
    static Signer of(ECPrivateKey key, PublicKey publicKey) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicKey, "publicKey");
        return new Signer() {
            @Override
            public byte[] sign(byte[] data) {
                // DER, never the P1363 form: older sigstore verifiers (in podman too) read DER only
                return dev.distrolix.sign.keys.CosignKeys.sign(key, data);
            }

            @Override
            public PublicKey publicKey() {
                return publicKey;
            }

            @Override
            public String toString() {
                return "Signer[EC P-256]"; // never the key
            }
        };
    }
}
