package dev.distrolix.sign;

import dev.distrolix.InputException;
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

    private com.fasterxml.jackson.databind.JsonNode sbom(BuiltImage b) throws IOException {
        if (sbom == null) {
            return SbomPredicate.of(sbomReference(b.target(), b.written().where()), b.image(), sbomTimestamp, version, scans);
        }
        return sbom.join();
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
    private AttachmentStore storeFor(ImageReference target, dev.distrolix.blob.Digest digest) throws IOException {
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

    private dev.distrolix.build.Background<com.fasterxml.jackson.databind.JsonNode> sbom;

    /** A registry push's signature, made and its store opened (a connection, a ping) beside the push. */
    private record Early(RegistryAttachments store, ImageSigning.Prepared signature) {}

    private dev.distrolix.build.Background<Early> early;

    /**
     * The key is ready (or its error is thrown) before anything is written; the SBOM (a scan of every layer)
     * is made beside the write.
     */
    @Override
    public void beforeWrite(dev.distrolix.image.AssembledImage image, ImageReference target) {
        if (image != null && attest && target instanceof ImageReference.Registry) { // a folder's name is known once written
            // started before the key is waited for: the scan only reads, and decrypting the key takes longer
            String reference = sbomReference(target, null);
            sbom = dev.distrolix.build.Background.start("distrolix-sbom",
                    () -> SbomPredicate.of(reference, image, sbomTimestamp, version, scans));
        }
        Signer s;
        try {
            s = signer.get();
        } catch (RuntimeException | Error e) {
            if (sbom != null) {
                sbom.cancel();
            }
            throw e;
        }
        if (image != null && target instanceof ImageReference.Registry r) {
            dev.distrolix.blob.Digest digest = image.manifestDigest();
            early = dev.distrolix.build.Background.start("distrolix-sign", () -> {
                RegistryAttachments store = RegistryAttachments.of(r.ref(), settings, digest);
                return new Early(store, ImageSigning.Prepared.of(s, digest, store.identity(), creator()));
            });
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
        Early e = early != null ? early.join() : null;
        AttachmentStore store = e != null && e.store().imageDigest().equals(b.written().manifestDigest()) ? e.store()
                : storeFor(b.target(), b.written().manifestDigest());
        if (store == null) {
            return;
        }
        Signer s = signer.get();
        ImageSigning.Signed signed = ImageSigning.sign(store, s, creator(), e != null ? e.signature() : null);
        report.accept((signed.added() ? "signed " : "already signed ") + store.where() + " " + signed.imageDigest()
                + " as " + signed.identity() + " (" + signed.tag() + ")");
        if (attest) { // only once the signature is there: an attestation is never published without one
            List<ImageSigning.Predicate> predicates = List.of(
                    new ImageSigning.Predicate(Statements.Kind.SBOM, sbom(b)),
                    new ImageSigning.Predicate(Statements.Kind.PROVENANCE, Provenance.predicate(b, version)));
            String tag = ImageSigning.attest(store, s, predicates);
            report.accept("attested " + store.where() + " " + signed.imageDigest() + ": sbom, provenance (" + tag + ")");
        }
    }
}
