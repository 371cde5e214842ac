/**
 * Cosign-compatible key files: an ECDSA P-256 key pair, its public key as a PEM {@code PUBLIC KEY}
 * ({@link PublicKeyFile}) and its private key as cosign's encrypted PEM ({@link PrivateKeyFile}): a JSON
 * envelope whose ciphertext is NaCl secretbox ({@link SecretBox}) over the PKCS#8 DER, keyed by scrypt
 * of the password ({@link KeyPassword}, from {@code COSIGN_PASSWORD} like cosign).
 *
 * <p>Files are what cosign, skopeo and podman read and write: we write the {@code ENCRYPTED COSIGN
 * PRIVATE KEY} type with scrypt N=32768 (what every reader takes) and read both PEM types and the
 * three N values sigstore readers accept. Every reading failure is an {@link dev.distrolix.InputException}
 * of one line naming the key's source, never showing key material or the password.
 *
 * <p>Only BouncyCastle's lightweight classes are used (scrypt, XSalsa20, Poly1305, EC point math, ASN.1);
 * its provider is never registered, so the JDK's providers do all the JCA work.
 */
package dev.distrolix.sign.keys;
