package dev.distrolix.sign;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where an image and the manifests attached to it live: a registry repository or an OCI layout.
 * Opened on one image: its digest is resolved once, so everything attached afterwards names the
 * digest that was checked, even if the tag moves meanwhile.
 */
public sealed interface AttachmentStore permits RegistryAttachments, LayoutAttachments {
    /** Where, for messages: {@code HOST/REPO} or {@code oci:DIR}. */
    String where();

    /** The image's manifest (or index) digest. */
    Digest imageDigest();

    /** What a signature names as {@code docker-reference}: {@code HOST/REPO:TAG} (or without the tag). */
    String identity();

    /** The name in an attestation's subject: {@code HOST/REPO}. */
    String subjectName();

    /** The manifest tagged {@code tag} in the image's repository or layout, if any. */
    Optional<byte[]> manifest(String tag) throws IOException;

    /** A blob the repository or layout holds, checked against its descriptor; at most {@code max} bytes. */
    byte[] blob(Descriptor d, long max) throws IOException;

    /**
     * Stores {@code manifest} under {@code tag}: {@code newBlobs} are the blobs not stored yet; every other
     * blob it names is already there.
     */
    void put(String tag, AttachmentManifest manifest, Map<Digest, byte[]> newBlobs) throws IOException;

    /** A manifest whose new blobs are stored ({@link #stage}) and that {@link #publish} stores under its tag. */
    record Staged(String tag, AttachmentManifest manifest, Map<Digest, byte[]> newBlobs) {
        public Staged {
            newBlobs = Map.copyOf(newBlobs);
        }
    }

    /**
     * The first half of {@link #put}: a registry stores the new blobs and the manifest's config now, where nothing
     * names them yet, so that publishing is one request. A layout writes everything at {@link #publish}.
     */
    default Staged stage(String tag, AttachmentManifest manifest, Map<Digest, byte[]> newBlobs) throws IOException {
        return new Staged(tag, manifest, newBlobs);
    }

    /** The second half of {@link #put}: the manifest under its tag. */
    default void publish(Staged staged) throws IOException {
        put(staged.tag(), staged.manifest(), staged.newBlobs());
    }

    /**
     * Where the store serves the OCI 1.1 referrers API, also attaches each layer as a referrer of the image;
     * returns how many were attached (0 where there is no such API: the tag scheme is then all there is).
     */
    default int addReferrers(java.util.List<Descriptor> layers, Map<Digest, byte[]> blobs) throws IOException {
        return 0;
    }
}
