package dev.distrolix.sign;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks that an image's signature (and attestations) were made by a key for the image's digest:
 * the digest binding is the point, so a signature copied onto another digest's tag, or a tag moved
 * to another image, fails. Signatures by skopeo and cosign verify as well as distrolix's own.
 */
public final class ImageVerification {
    private ImageVerification() {}

    /** What verified: the signatures' payloads and, when asked for, the attestations' statements. */
    public record Verified(Digest imageDigest, List<SimpleSigning.Payload> signatures,
                           List<Statements.Parsed> attestations) {
        public Verified {
            signatures = List.copyOf(signatures);
            attestations = List.copyOf(attestations);
        }
    }

    /**
     * Verifies; a {@link NotVerifiedException} says what failed, an {@link InputException} what is malformed
     * when nothing else could be checked.
     */
    public static Verified verify(AttachmentStore store, PublicKey key, Optional<Statements.Kind> attestation)
            throws IOException {
        Digest digest = store.imageDigest();
        List<SimpleSigning.Payload> good = signatures(store, key, digest);
        List<Statements.Parsed> statements = attestation.isEmpty() ? List.of()
                : attestations(store, key, digest, attestation.get());
        return new Verified(digest, good, statements);
    }

    private static List<SimpleSigning.Payload> signatures(AttachmentStore store, PublicKey key, Digest digest)
            throws IOException {
        String tag = AttachmentManifest.tag(digest, "sig");
        AttachmentManifest sigs = existing(store, tag, "no signature for " + digest + " in " + store.where());
        List<SimpleSigning.Payload> good = new ArrayList<>();
        Problems problems = new Problems(store.where() + ":" + tag);
        int layer = 0;
        for (Descriptor l : sigs.layers()) {
            layer++;
            if (!SimpleSigning.MEDIA_TYPE.equals(l.mediaType())) {
                continue; // another tool's attachment, as podman ignores it
            }
            problems.seen++;
            String annotation = l.annotations().get(AttachmentManifest.SIGNATURE_ANNOTATION);
            if (annotation == null) {
                problems.malformed("layer " + layer + " has no " + AttachmentManifest.SIGNATURE_ANNOTATION + " annotation");
                continue;
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(annotation);
            } catch (IllegalArgumentException e) {
                problems.malformed("layer " + layer + ": the signature annotation is not base64");
                continue;
            }
            if (l.size() > ImageSigning.MAX_SIGNATURE_PAYLOAD) {
                problems.malformed("layer " + layer + " is " + l.size() + " bytes, more than a signature payload ("
                        + ImageSigning.MAX_SIGNATURE_PAYLOAD + ")");
                continue;
            }
            byte[] payload;
            try {
                payload = store.blob(l, ImageSigning.MAX_SIGNATURE_PAYLOAD);
            } catch (dev.distrolix.DistrolixException e) {
                problems.malformed("layer " + layer + ": " + e.getMessage()); // another layer may still verify
                continue;
            }
            if (!SignatureCheck.verifies(key, payload, sig)) {
                problems.otherKey++;
                continue;
            }
            SimpleSigning.Payload p;
            try {
                p = SimpleSigning.parse(payload);
            } catch (IllegalArgumentException e) {
                problems.malformed("layer " + layer + ": " + e.getMessage());
                continue;
            }
            if (!p.manifestDigest().equals(digest)) {
                problems.otherDigests.add(p.manifestDigest().toString());
                continue;
            }
            good.add(p);
        }
        if (good.isEmpty()) {
            throw problems.failure("signature", digest);
        }
        return good;
    }

    private static List<Statements.Parsed> attestations(AttachmentStore store, PublicKey key, Digest digest,
                                                        Statements.Kind kind) throws IOException {
        String tag = AttachmentManifest.tag(digest, "att");
        AttachmentManifest atts = existing(store, tag, "no attestations for " + digest + " in " + store.where());
        List<Statements.Parsed> good = new ArrayList<>();
        TreeSet<String> otherTypes = new TreeSet<>();
        Problems problems = new Problems(store.where() + ":" + tag);
        int layer = 0;
        for (Descriptor l : atts.layers()) {
            layer++;
            if (!Dsse.MEDIA_TYPE.equals(l.mediaType())) {
                continue;
            }
            if (l.size() > ImageSigning.MAX_ATTESTATION) {
                problems.malformed("layer " + layer + " is " + l.size() + " bytes, more than an attestation may be ("
                        + ImageSigning.MAX_ATTESTATION + ")");
                continue;
            }
            Dsse.Envelope env;
            Statements.Parsed s;
            try {
                byte[] bytes;
                try {
                    bytes = store.blob(l, ImageSigning.MAX_ATTESTATION);
                } catch (dev.distrolix.DistrolixException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
                env = Dsse.parse(bytes);
                if (!env.signedBy(key)) {
                    problems.seen++;
                    problems.otherKey++;
                    continue;
                }
                if (!Dsse.IN_TOTO.equals(env.payloadType())) {
                    throw new IllegalArgumentException("the payload type is " + env.payloadType() + ", not in-toto");
                }
                s = Statements.parse(env.payload(), digest);
            } catch (IllegalArgumentException e) {
                problems.seen++;
                problems.malformed("layer " + layer + ": " + e.getMessage());
                continue;
            }
            if (!s.predicateType().equals(kind.predicateType())) {
                otherTypes.add(Statements.Kind.ofPredicateType(s.predicateType()).map(Statements.Kind::label)
                        .orElse(s.predicateType()));
                continue;
            }
            problems.seen++;
            if (!s.covers()) {
                problems.otherDigests.add("another subject");
                continue;
            }
            good.add(s);
        }
        if (good.isEmpty()) {
            if (problems.seen == 0) {
                throw new NotVerifiedException("no " + kind.label() + " attestation for " + digest + " in " + store.where()
                        + (otherTypes.isEmpty() ? "" : " (it has: " + String.join(", ", otherTypes) + ")"));
            }
            throw problems.failure(kind.label() + " attestation", digest);
        }
        return good;
    }

    private static AttachmentManifest existing(AttachmentStore store, String tag, String none) throws IOException {
        return ImageSigning.find(store, tag).orElseThrow(() -> new NotVerifiedException(none));
    }

    /** Why nothing verified, worst news first. */
    private static final class Problems {
        final String where;
        final List<String> malformed = new ArrayList<>();
        final TreeSet<String> otherDigests = new TreeSet<>();
        int otherKey;
        int seen;

        Problems(String where) {
            this.where = where;
        }

        void malformed(String what) {
            malformed.add(what);
        }

        RuntimeException failure(String what, Digest digest) {
            if (!otherDigests.isEmpty()) {
                return new NotVerifiedException("the " + what + " by this key is for " + String.join(", ", otherDigests)
                        + ", but the image is " + digest + " (" + where + ")");
            }
            if (otherKey > 0) {
                return new NotVerifiedException("no " + what + " by this key for " + digest + ": " + otherKey
                        + (otherKey == 1 ? " does" : " do") + " not verify with it (another key, or altered) (" + where + ")");
            }
            if (!malformed.isEmpty()) {
                return new InputException(where + ": " + malformed.get(0)
                        + (malformed.size() > 1 ? " (and " + (malformed.size() - 1) + " more)" : ""));
            }
            return new NotVerifiedException("no " + what + " for " + digest + ": " + where + " holds none");
        }
    }
}
