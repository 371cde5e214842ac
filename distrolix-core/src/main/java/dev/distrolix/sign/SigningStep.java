package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.Background;
import dev.distrolix.build.BuiltImage;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Signs what a build just wrote and attests it with its SBOM and provenance ({@code build --sign-key}).
 * The signer is a supplier so that the key can be decrypted (scrypt: ~0.3 s) while the build runs.
 */
public final class SigningStep implements BuiltImage.AfterWrite {
    private final Supplier<Signer> signer;
    private final RegistrySettings settings;
    private final String identity;
    private final boolean attest;
    private final Instant sbomTimestamp;
    private final String version;
    private final Consumer<String> report;
    private dev.distrolix.inspect.scan.ScanCache scans;

    /**
     * @param identity      for an {@code oci:} target: the reference the signature names (null: the image's name)
     * @param sbomTimestamp the SBOM's {@code metadata.timestamp}, as {@code distrolix sbom} sets it
     * @param report        told one line per thing done
     */
    public SigningStep(Supplier<Signer> signer, RegistrySettings settings, String identity, boolean attest,
                       Instant sbomTimestamp, String version, Consumer<String> report) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identity = identity;
        this.attest = attest;
        this.sbomTimestamp = Objects.requireNonNull(sbomTimestamp, "sbomTimestamp");
        this.version = Objects.requireNonNull(version, "version");
        this.report = Objects.requireNonNull(report, "report");
    }

    /** Where the SBOM's layer scans are kept and replayed from (a warm build scans only the layers it made); null: none. */
    public SigningStep scans(dev.distrolix.inspect.scan.ScanCache scans) {
        this.scans = scans;
        return this;
    }

    /** A multi-platform build's index is signed too: what its tag resolves to. */
    @Override
    public void writtenIndex(ImageReference target, dev.distrolix.transport.WriteResult index) throws IOException {
        AttachmentStore store = storeFor(target, index.manifestDigest());
        if (store != null) {
            ImageSigning.Signed signed = ImageSigning.sign(store, signer.get(), creator());
            report.accept((signed.added() ? "signed " : "already signed ") + store.where() + " " + signed.imageDigest()
                    + " (the index) as " + signed.identity() + " (" + signed.tag() + ")");
        }
    }

    /** The store of the image {@code digest} written to {@code target} (for a layout: the entry's name as identity). */
    private AttachmentStore storeFor(ImageReference target, Digest digest) throws IOException {
        if (target instanceof ImageReference.Registry r) {
            return RegistryAttachments.of(r.ref(), settings, digest);
        }
        if (target instanceof ImageReference.OciLayout l) {
            LayoutAttachments tagged = LayoutAttachments.open(l.dir(), l.tag(), identity);
            return tagged.imageDigest().equals(digest) ? tagged : tagged.forDigest(digest);
        }
        checkTarget(target);
        return null;
    }

    /** Fails unless signatures can be stored beside {@code target}: a registry or an OCI layout. */
    public static void checkTarget(ImageReference target) {
        if (!(target instanceof ImageReference.Registry) && !(target instanceof ImageReference.OciLayout)) {
            throw new InputException("signing needs a docker:// or oci: target, where signatures are stored beside"
                    + " the image; " + target + " has no place for them (sign the oci: layout, then copy it)");
        }
    }

    private Background<RegistryAttachments> store;
    private Background<ImageSigning.StagedSignature> signature;
    private Background<ImageSigning.StagedAttestation> attestation;

    /**
     * For a registry, the signature and the attestations (the SBOM scans the layers it has no record of) are made
     * and their blobs stored beside the image's push, where nothing names them yet: once the image is there, each
     * manifest is published with one request (and the attestations as referrers where the registry serves them).
     */
    @Override
    public void beforeWrite(BuiltImage planned, ImageReference target) {
        if (planned != null && target instanceof ImageReference.Registry r) {
            Digest digest = planned.image().manifestDigest();
            Background<RegistryAttachments> opened = Background.start("distrolix-attachments",
                    () -> RegistryAttachments.of(r.ref(), settings, digest));
            store = opened;
            // each stored once the key is decrypted: a wrong password stores nothing
            signature = Background.start("distrolix-sign",
                    () -> ImageSigning.stageSignature(opened.join(), signer, creator()));
            if (attest) {
                String reference = sbomReference(target, null);
                attestation = Background.start("distrolix-attest", () -> {
                    List<ImageSigning.Predicate> predicates = predicates(
                            SbomPredicate.of(reference, planned.image(), sbomTimestamp, version, scans), planned);
                    return ImageSigning.stageAttestation(opened.join(), signer, predicates);
                });
            }
        }
    }

    /**
     * The key, decrypted, and for a registry the signature and attestations staged: a wrong password, or an
     * attachment that cannot be made or stored (an SBOM too large, a refused upload), fails the build before the
     * image's manifest is pushed, so that no unsigned image is published.
     */
    @Override
    public void ready() throws IOException {
        try {
            signer.get();
            if (signature != null) {
                signature.join();
            }
            if (attestation != null) {
                attestation.join();
            }
        } catch (IOException | RuntimeException | Error e) {
            cancel();
            throw e;
        }
    }

    @Override
    public void abandon() {
        cancel();
    }

    private List<ImageSigning.Predicate> predicates(JsonNode sbom, BuiltImage b) throws IOException {
        return List.of(new ImageSigning.Predicate(Statements.Kind.SBOM, sbom),
                new ImageSigning.Predicate(Statements.Kind.PROVENANCE, Provenance.predicate(b, version)));
    }

    private void cancel() {
        for (Background<?> b : java.util.Arrays.asList(attestation, signature, store)) {
            if (b != null) {
                b.cancel();
            }
        }
    }

    /**
     * The name {@code distrolix sbom} gives the image when it is read back from where it was written, so that
     * its output for that reference is this document: HOST/REPO:TAG for a registry, the target otherwise.
     */
    private static String sbomReference(ImageReference target, String where) {
        if (target instanceof ImageReference.Registry r) {
            return r.ref().registry() + "/" + r.ref().repository() + ":" + r.tag();
        }
        return where != null ? where : target.toString();
    }

    private String creator() {
        return "distrolix " + version;
    }

    @Override
    public void written(BuiltImage b) throws IOException {
        RegistryAttachments staged = store != null ? store.join() : null;
        if (staged != null && staged.imageDigest().equals(b.written().manifestDigest())) {
            try {
                reportSigned(staged, ImageSigning.publish(staged, signature.join()));
            } catch (IOException | RuntimeException | Error e) {
                cancel();
                throw e;
            }
            if (attest) { // only once the signature is there: an attestation is never published without one
                reportAttested(staged, ImageSigning.publish(staged, attestation.join()));
            }
            return;
        }
        cancel(); // not a registry, or (in theory) not the digest planned: all in line
        AttachmentStore store = storeFor(b.target(), b.written().manifestDigest());
        if (store == null) {
            return;
        }
        Signer s = signer.get();
        reportSigned(store, ImageSigning.sign(store, s, creator()));
        if (attest) {
            JsonNode sbom = SbomPredicate.of(sbomReference(b.target(), b.written().where()), b.image(), sbomTimestamp,
                    version, scans);
            reportAttested(store, ImageSigning.attest(store, s, predicates(sbom, b)));
        }
    }

    private void reportSigned(AttachmentStore store, ImageSigning.Signed signed) {
        report.accept((signed.added() ? "signed " : "already signed ") + store.where() + " " + signed.imageDigest()
                + " as " + signed.identity() + " (" + signed.tag() + ")");
    }

    private void reportAttested(AttachmentStore store, String tag) {
        report.accept("attested " + store.where() + " " + store.imageDigest() + ": sbom, provenance (" + tag + ")");
    }
}
