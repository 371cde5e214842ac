/**
 * Cosign-compatible signatures and attestations: what podman, skopeo and cosign verify.
 *
 * <p>A signature is a simple-signing payload ({@link SimpleSigning}) binding a manifest digest to a
 * reference, signed with ECDSA P-256 and stored as a layer of the manifest tagged
 * {@code sha256-<hex>.sig} beside the image; an attestation is an in-toto statement
 * ({@link Statements}) in a signed DSSE envelope ({@link Dsse}), a layer of {@code sha256-<hex>.att}.
 * Both live in the image's registry repository or OCI layout ({@link AttachmentStore}).
 * {@link ImageSigning} appends and replaces them; {@link ImageVerification} checks them.
 * Key files are in {@code sign.keys}; {@link Signer} is the seam where keyless signing would go.
 */
package dev.distrolix.sign;
