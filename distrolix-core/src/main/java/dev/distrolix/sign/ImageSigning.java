package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Signs and attests an image the way cosign does, in an {@link AttachmentStore}. Signatures are
 * appended to what is there (other keys' stay); a signature this key already made for this digest
 * is not added again (ECDSA is randomized, so re-signing would otherwise grow the list on every
 * push). Attestations replace this key's earlier one of the same predicate type.
 */
public final class ImageSigning {
    /** Payloads and envelopes larger than this are not read back (a signature payload is ~300 bytes). */
    static final long MAX_SIGNATURE_PAYLOAD = 64 << 10;
    /** The largest envelope that is read back: what the JSON reader takes (a statement of ~3 MiB, base64 grown). */
    static final long MAX_ATTESTATION = dev.distrolix.json.Mappers.MAX_DOCUMENT;

    private ImageSigning() {}

    /** What a signing did. */
    public record Signed(Digest imageDigest, String tag, boolean added, String identity) {}

    /** Signs the store's image for its identity. */
    public static Signed sign(AttachmentStore store, Signer signer, String creator) throws IOException {
        return publish(store, stageSignature(store, () -> signer, creator));
    }

    /** A signature whose blobs are stored and whose manifest is not ({@code staged} null: this key had signed already). */
    public record StagedSignature(Signed signed, AttachmentStore.Staged staged) {}

    /**
     * Everything {@link #sign(AttachmentStore, Signer, String)} does but storing the {@code .sig} manifest:
     * a build does it beside the image's push, so that the signature is published with one request once the image
     * is there. The tag's manifest is read before {@code signer} is asked for (a build's key may still be decrypting).
     */
    public static StagedSignature stageSignature(AttachmentStore store, Supplier<Signer> key, String creator)
            throws IOException {
        Digest digest = store.imageDigest();
        String tag = AttachmentManifest.tag(digest, "sig");
        AttachmentManifest existing = read(store, tag);
        Signer signer = key.get();
        String identity = store.identity();
        for (Descriptor l : existing.layers()) {
            if (!SimpleSigning.MEDIA_TYPE.equals(l.mediaType()) || l.size() > MAX_SIGNATURE_PAYLOAD) {
                continue;
            }
            byte[] payload = store.blob(l, MAX_SIGNATURE_PAYLOAD);
            if (signedBy(signer, l, payload) && covers(payload, digest, identity)) {
                return new StagedSignature(new Signed(digest, tag, false, identity), null);
            }
        }
        byte[] payload = SimpleSigning.payload(identity, digest, creator);
        String sig = Base64.getEncoder().encodeToString(signer.sign(payload));
        Descriptor layer = Descriptor.of(SimpleSigning.MEDIA_TYPE, Digest.sha256(payload), payload.length)
                .withAnnotations(Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, sig));
        AttachmentStore.Staged staged = store.stage(tag, existing.plus(layer), Map.of(layer.digest(), payload));
        return new StagedSignature(new Signed(digest, tag, true, identity), staged);
    }

    /** Stores a staged signature's manifest. */
    public static Signed publish(AttachmentStore store, StagedSignature s) throws IOException {
        if (s.staged() != null) {
            store.publish(s.staged());
        }
        return s.signed();
    }

    /** A predicate to attest: its kind and the document. */
    public record Predicate(Statements.Kind kind, JsonNode document) {}

    /** Attests the store's image with each predicate, in one write of the {@code .att} manifest. */
    public static String attest(AttachmentStore store, Signer signer, List<Predicate> predicates) throws IOException {
        return publish(store, stageAttestation(store, () -> signer, predicates));
    }

    /** An attestation whose envelopes are stored and whose manifest is not; {@code added} are its new layers. */
    public record StagedAttestation(AttachmentStore.Staged staged, List<Descriptor> added, Map<Digest, byte[]> blobs) {}

    /**
     * Everything {@link #attest} does but storing the {@code .att} manifest (and the referrers); the tag's manifest
     * is read before {@code signer} is asked for.
     */
    public static StagedAttestation stageAttestation(AttachmentStore store, Supplier<Signer> key,
                                                     List<Predicate> predicates) throws IOException {
        Digest digest = store.imageDigest();
        String tag = AttachmentManifest.tag(digest, "att");
        AttachmentManifest existing = read(store, tag);
        Signer signer = key.get();
        Set<String> types = new HashSet<>();
        predicates.forEach(p -> types.add(p.kind().predicateType()));
        List<Descriptor> kept = new ArrayList<>();
        for (Descriptor l : existing.layers()) {
            String type = l.annotations().get(AttachmentManifest.PREDICATE_TYPE_ANNOTATION);
            if (Dsse.MEDIA_TYPE.equals(l.mediaType()) && types.contains(type) && l.size() <= MAX_ATTESTATION
                    && ourEnvelope(store.blob(l, MAX_ATTESTATION), signer)) {
                continue; // replaced below: one per predicate type per key
            }
            kept.add(l);
        }
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Descriptor> added = new ArrayList<>();
        for (Predicate p : predicates) {
            byte[] statement = Statements.statement(store.subjectName(), digest, p.kind().predicateType(), p.document());
            byte[] envelope = Dsse.sign(statement, signer);
            if (envelope.length > MAX_ATTESTATION) {
                throw new InputException("the " + p.kind().label() + " attestation of " + digest + " would be "
                        + envelope.length + " bytes, more than the " + MAX_ATTESTATION + " a verifier reads: not attached");
            }
            Descriptor layer = Descriptor.of(Dsse.MEDIA_TYPE, Digest.sha256(envelope), envelope.length)
                    .withAnnotations(Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "",
                            AttachmentManifest.PREDICATE_TYPE_ANNOTATION, p.kind().predicateType()));
            kept.add(layer);
            added.add(layer);
            blobs.put(layer.digest(), envelope);
        }
        return new StagedAttestation(store.stage(tag, new AttachmentManifest(kept), blobs), added, blobs);
    }

    /** Stores a staged attestation's manifest, then its referrers; returns its tag. */
    public static String publish(AttachmentStore store, StagedAttestation a) throws IOException {
        store.publish(a.staged());
        store.addReferrers(a.added(), a.blobs()); // the tag scheme first: it is what podman and cosign 2 read
        return a.staged().tag();
    }

    /** The manifest under {@code tag}, or an empty one. */
    static AttachmentManifest read(AttachmentStore store, String tag) throws IOException {
        return find(store, tag).orElse(AttachmentManifest.empty());
    }

    /** The manifest under {@code tag} if there is one (read once); one that is not readable is an input error. */
    static Optional<AttachmentManifest> find(AttachmentStore store, String tag) throws IOException {
        Optional<byte[]> bytes = store.manifest(tag);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AttachmentManifest.parse(bytes.get()));
        } catch (IllegalArgumentException e) {
            throw new InputException(store.where() + ":" + tag + ": " + e.getMessage());
        }
    }

    private static boolean signedBy(Signer signer, Descriptor layer, byte[] payload) {
        String sig = layer.annotations().get(AttachmentManifest.SIGNATURE_ANNOTATION);
        try {
            return sig != null && SignatureCheck.verifies(signer.publicKey(), payload, Base64.getDecoder().decode(sig));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean covers(byte[] payload, Digest digest, String identity) {
        try {
            SimpleSigning.Payload p = SimpleSigning.parse(payload);
            return p.manifestDigest().equals(digest) && p.dockerReference().equals(identity);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean ourEnvelope(byte[] envelope, Signer signer) {
        try {
            return Dsse.parse(envelope).signedBy(signer.publicKey());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
