package dev.distrolix.sign;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Carries an image's signatures and attestations along when the image is copied (as skopeo carries
 * {@code .sig}), so that an image signed in a layout where it was built arrives signed. Only what is
 * attached to the copied digest goes; what the destination already holds stays, new layers are added.
 * Nothing is verified on the way: verification is the reader's job, with its key.
 */
public final class AttachmentCopy {
    static final List<String> SUFFIXES = List.of("sig", "att");

    private AttachmentCopy() {}

    /** The store of {@code ref} (a registry or an OCI layout) for the image {@code digest}; empty for other kinds. */
    public static Optional<AttachmentStore> storeOf(ImageReference ref, RegistrySettings settings, Digest digest,
                                                    boolean write) throws IOException {
        if (ref instanceof ImageReference.Registry r) {
            return Optional.of(RegistryAttachments.of(r.ref(), settings, digest, write));
        }
        if (ref instanceof ImageReference.OciLayout l) {
            return Optional.of(LayoutAttachments.ofDigest(l.dir(), digest));
        }
        return Optional.empty();
    }


    /** One attachment tag of the source, read whole (its blobs bounded) before the copy writes anything. */
    public record Pending(Digest image, String tag, AttachmentManifest manifest, Map<Digest, byte[]> blobs) {
        public Pending {
            blobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blobs));
        }
    }

    /**
     * The attachments of each of {@code digests} (an image, or an index and the manifests it lists: each platform's
     * image is signed and attested on its own) that a copy from {@code source} to {@code target} carries, where both
     * hold attachments (registries and OCI layouts): read before the image is written, so that an attachment the
     * source cannot give (not JSON, too large) fails the copy before anything is written. Held in memory until
     * written (each blob at most {@link ImageSigning#MAX_ATTESTATION}; signatures are small), including any the
     * destination turns out to have.
     */
    public static List<Pending> read(ImageReference source, RegistrySettings sourceSettings, ImageReference target,
                                     List<Digest> digests) throws IOException {
        List<Pending> pending = new ArrayList<>();
        if (!(target instanceof ImageReference.Registry || target instanceof ImageReference.OciLayout)) {
            return pending;
        }
        for (Digest d : digests) {
            Optional<AttachmentStore> from = storeOf(source, sourceSettings, d, false);
            if (from.isEmpty()) {
                return pending;
            }
            for (String suffix : SUFFIXES) {
                String tag = AttachmentManifest.tag(from.get().imageDigest(), suffix);
                Optional<AttachmentManifest> found = ImageSigning.find(from.get(), tag);
                if (found.isEmpty()) {
                    continue;
                }
                Map<Digest, byte[]> blobs = new LinkedHashMap<>();
                for (Descriptor l : found.get().layers()) {
                    if (!blobs.containsKey(l.digest())) {
                        blobs.put(l.digest(), from.get().blob(l, ImageSigning.MAX_ATTESTATION));
                    }
                }
                pending.add(new Pending(d, tag, found.get(), blobs));
            }
        }
        return pending;
    }

    /**
     * Adds {@code pending} ({@link #read}) to {@code target}'s attachments, once the image is there: what the
     * destination holds stays, new layers are added; returns the tags written.
     */
    public static List<String> write(List<Pending> pending, ImageReference target, RegistrySettings settings)
            throws IOException {
        List<String> written = new ArrayList<>();
        Map<Digest, AttachmentStore> stores = new LinkedHashMap<>();
        for (Pending p : pending) {
            AttachmentStore to = stores.get(p.image());
            if (to == null) {
                to = storeOf(target, settings, p.image(), true).orElseThrow();
                stores.put(p.image(), to);
            }
            AttachmentManifest there = ImageSigning.read(to, p.tag());
            Set<Digest> have = new LinkedHashSet<>();
            there.layers().forEach(l -> have.add(l.digest()));
            List<Descriptor> layers = new ArrayList<>(there.layers());
            Map<Digest, byte[]> blobs = new LinkedHashMap<>();
            for (Descriptor l : p.manifest().layers()) {
                if (have.add(l.digest())) {
                    layers.add(l);
                    blobs.put(l.digest(), p.blobs().get(l.digest()));
                }
            }
            if (!blobs.isEmpty()) {
                to.put(p.tag(), new AttachmentManifest(layers), blobs);
                written.add(p.tag());
            }
        }
        return written;
    }
}
