package dev.distrolix.sign;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.transport.LayoutManifests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Attachments in an OCI layout, under cosign's tags beside the image's own: an image can be signed
 * where it was built, before it is copied anywhere.
 */
public final class LayoutAttachments implements AttachmentStore {
    private final Path dir;
    private final Digest digest;
    private final String identity;

    private LayoutAttachments(Path dir, Digest digest, String identity) {
        this.dir = dir;
        this.digest = digest;
        this.identity = identity;
    }

    /**
     * The image tagged {@code tag} in the layout. A layout has no registry name, so the signature's
     * {@code docker-reference} is {@code identity} (where the image will be pulled from), else the name the
     * entry records, else an error asking for one.
     */
    public static LayoutAttachments open(Path dir, String tag, String identity) throws IOException {
        if (tag == null) {
            throw new InputException("oci:" + dir + ": name the image's tag (oci:DIR:TAG) to sign or verify it");
        }
        LayoutManifests.Tagged t = LayoutManifests.read(dir, tag).orElseThrow(() ->
                new InputException("oci:" + dir + ": no image is tagged " + tag));
        String id = identity != null ? identity : t.imageName();
        return new LayoutAttachments(dir, t.digest(), id);
    }

    /** The layout's attachments of the image {@code digest} (carried by a copy: no identity is needed). */
    public static LayoutAttachments ofDigest(Path dir, Digest digest) {
        return new LayoutAttachments(dir, digest, null);
    }

    /** Another image of the same layout (a platform of a tagged index), signed under the same identity. */
    public LayoutAttachments forDigest(Digest other) {
        return new LayoutAttachments(dir, other, identity);
    }

    @Override
    public String where() {
        return "oci:" + dir;
    }

    @Override
    public Digest imageDigest() {
        return digest;
    }

    @Override
    public String identity() {
        if (identity == null) {
            throw new InputException(where() + ": the image has no name to sign for: say where it will be pulled"
                    + " from with --identity HOST/REPO:TAG");
        }
        return identity;
    }

    @Override
    public String subjectName() {
        String id = identity();
        int slash = id.lastIndexOf('/');
        int colon = id.lastIndexOf(':');
        int at = id.indexOf('@');
        String name = at >= 0 ? id.substring(0, at) : colon > slash ? id.substring(0, colon) : id;
        return name;
    }

    @Override
    public Optional<byte[]> manifest(String tag) throws IOException {
        return LayoutManifests.read(dir, tag).map(LayoutManifests.Tagged::bytes);
    }

    @Override
    public byte[] blob(Descriptor d, long max) throws IOException {
        if (d.size() > max) {
            throw new InputException(where() + ": blob " + d.digest() + " is " + d.size() + " bytes, more than the "
                    + max + " an attachment may have");
        }
        byte[] bytes = LayoutManifests.blob(dir, d.digest(), d.size());
        if (bytes.length != d.size()) {
            throw new InputException(where() + ": blob " + d.digest() + " does not have the size its descriptor gives");
        }
        return bytes;
    }

    @Override
    public void put(String tag, AttachmentManifest manifest, Map<Digest, byte[]> newBlobs) throws IOException {
        byte[] config = manifest.config();
        Map<Digest, byte[]> blobs = new LinkedHashMap<>(newBlobs);
        blobs.put(Digest.sha256(config), config);
        LayoutManifests.write(dir, tag, manifest.bytes(), MediaTypes.OCI_MANIFEST, blobs);
    }
}
