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

    /** Opens the destination's store, only once there is something to carry (a copy usually has nothing). */
    @FunctionalInterface
    public interface Destination {
        AttachmentStore open() throws IOException;
    }

    /**
     * The attachments of each of {@code digests} (an image, or an index and the manifests it lists: each platform's
     * image is signed and attested on its own) carried from {@code source} to {@code target}, where both hold
     * attachments (registries and OCI layouts); returns the tags written.
     */
    public static List<String> carry(ImageReference source, RegistrySettings sourceSettings, ImageReference target,
                                     RegistrySettings settings, List<Digest> digests) throws IOException {
        List<String> written = new ArrayList<>();
        if (!(target instanceof ImageReference.Registry || target instanceof ImageReference.OciLayout)) {
            return written;
        }
        for (Digest d : digests) {
            Optional<AttachmentStore> from = storeOf(source, sourceSettings, d, false);
            if (from.isEmpty()) {
                return written;
            }
            written.addAll(carry(from.get(), () -> storeOf(target, settings, d, true).orElseThrow()));
        }
        return written;
    }

    /** Copies {@code from}'s attachments of its image into the destination; returns the tags written. */
    public static List<String> carry(AttachmentStore from, Destination destination) throws IOException {
        List<String> written = new ArrayList<>();
        AttachmentStore to = null;
        for (String suffix : SUFFIXES) {
            String tag = AttachmentManifest.tag(from.imageDigest(), suffix);
            Optional<AttachmentManifest> found = ImageSigning.find(from, tag);
            if (found.isEmpty()) {
                continue;
            }
            AttachmentManifest source = found.get();
            if (to == null) {
                to = destination.open();
            }
            AttachmentManifest target = ImageSigning.read(to, tag);
            Set<Digest> there = new LinkedHashSet<>();
            target.layers().forEach(l -> there.add(l.digest()));
            List<Descriptor> layers = new ArrayList<>(target.layers());
            Map<Digest, byte[]> blobs = new LinkedHashMap<>();
            for (Descriptor l : source.layers()) {
                if (there.add(l.digest())) {
                    layers.add(l);
                    blobs.put(l.digest(), from.blob(l, ImageSigning.MAX_ATTESTATION));
                }
            }
            if (!blobs.isEmpty()) {
                to.put(tag, new AttachmentManifest(layers), blobs);
                written.add(tag);
            }
        }
        return written;
    }
}
