package dev.distrolix.sign;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.registry.BlobContent;
import dev.distrolix.registry.ImagePusher;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.PushListener;
import dev.distrolix.registry.RegistryClient;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.registry.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Attachments in the image's own registry repository, under cosign's tags. */
public final class RegistryAttachments implements AttachmentStore {
    private final RegistryRef ref;
    private final RegistryClient client;
    private final Repository repo;
    private final Digest digest;

    private RegistryAttachments(RegistryRef ref, RegistryClient client, Repository repo, Digest digest) {
        this.ref = ref;
        this.client = client;
        this.repo = repo;
        this.digest = digest;
    }

    /**
     * Resolves {@code ref} (its digest, else its tag: the manifest is read and its bytes hashed, never the
     * registry's word for it). {@code push}: whether attachments will be written.
     */
    public static RegistryAttachments open(RegistryRef ref, RegistrySettings settings, boolean push)
            throws IOException {
        RegistryClient client = RegistryClient.connect(ref.registry(), settings.withListener(PushListener.NONE));
        Repository repo = client.repository(ref.repository(), push);
        ManifestBytes top = repo.getManifest(ref.reference());
        if (ref.digest() != null && !ref.digest().equals(top.digest())) {
            throw new InputException(ref + ": the registry returned a manifest with digest " + top.digest());
        }
        return new RegistryAttachments(ref, client, repo, top.digest());
    }

    /** The same store for an image known by digest (just pushed): nothing is read. */
    public static RegistryAttachments of(RegistryRef ref, RegistrySettings settings, Digest digest) throws IOException {
        return of(ref, settings, digest, true);
    }

    /** As {@link #of(RegistryRef, RegistrySettings, Digest)}, asking for push access only when {@code push}. */
    public static RegistryAttachments of(RegistryRef ref, RegistrySettings settings, Digest digest, boolean push)
            throws IOException {
        RegistryClient client = RegistryClient.connect(ref.registry(), settings.withListener(PushListener.NONE));
        return new RegistryAttachments(ref, client, client.repository(ref.repository(), push), digest);
    }

    @Override
    public String where() {
        return ref.registry() + "/" + ref.repository();
    }

    @Override
    public Digest imageDigest() {
        return digest;
    }

    @Override
    public String identity() {
        // the push's own name with its tag, as skopeo writes it: podman's default identity rule then accepts a
        // pull by that tag or by digest
        return ref.tag() != null ? where() + ":" + ref.tag() : where();
    }

    @Override
    public String subjectName() {
        return where();
    }

    @Override
    public Optional<byte[]> manifest(String tag) throws IOException {
        return repo.findManifest(tag).map(ManifestBytes::bytes);
    }

    @Override
    public byte[] blob(Descriptor d, long max) throws IOException {
        if (d.size() > max) {
            throw new InputException(where() + ": blob " + d.digest() + " is " + d.size() + " bytes, more than the "
                    + max + " an attachment may have");
        }
        return repo.readBlob(d.digest(), d.size());
    }

    @Override
    public int addReferrers(List<Descriptor> layers, Map<Digest, byte[]> blobs) throws IOException {
        if (layers.isEmpty() || !repo.supportsReferrers(digest)) {
            return 0;
        }
        ManifestBytes image = repo.getManifest(digest.toString());
        Descriptor subject = Descriptor.of(image.mediaType(), image.digest(), image.size());
        for (Descriptor l : layers) {
            List<ImagePusher.Blob> push = new ArrayList<>();
            Referrers.emptyConfig().forEach((d, bytes) -> push.add(ImagePusher.Blob.of(
                    Descriptor.of(Referrers.EMPTY_CONFIG_TYPE, d, bytes.length), BlobContent.of(bytes), "config")));
            push.add(ImagePusher.Blob.of(l, BlobContent.of(blobs.get(l.digest())), "layer"));
            ImagePusher.push(new ImagePusher.Request(ref, List.of(), push, List.of(),
                    ManifestBytes.of(Referrers.manifest(subject, l), MediaTypes.OCI_MANIFEST)), client);
        }
        return layers.size();
    }

    @Override
    public Staged stage(String tag, AttachmentManifest manifest, Map<Digest, byte[]> newBlobs) throws IOException {
        // the layers already attached are named by the manifest now under the tag: the registry has them
        ImagePusher.pushBlobs(ref.withTag(tag), blobs(manifest, newBlobs, false), client);
        return new Staged(tag, manifest, Map.of());
    }

    @Override
    public void publish(Staged staged) throws IOException {
        repo.putManifest(staged.tag(), ManifestBytes.of(staged.manifest().bytes(), MediaTypes.OCI_MANIFEST));
    }

    @Override
    public void put(String tag, AttachmentManifest manifest, Map<Digest, byte[]> newBlobs) throws IOException {
        ImagePusher.push(new ImagePusher.Request(ref.withTag(tag), List.of(tag), blobs(manifest, newBlobs, true),
                List.of(), ManifestBytes.of(manifest.bytes(), MediaTypes.OCI_MANIFEST)), client);
    }

    /**
     * The manifest's config and its new layers; {@code all}: its other layers too, already attached, which the
     * pusher's HEAD finds (nothing is read). The config (it names every layer) and the new layers are sent without
     * a HEAD first: a signature or an attestation just made is new to the registry.
     */
    private List<ImagePusher.Blob> blobs(AttachmentManifest manifest, Map<Digest, byte[]> newBlobs, boolean all) {
        byte[] config = manifest.config();
        List<ImagePusher.Blob> blobs = new ArrayList<>();
        blobs.add(ImagePusher.Blob.likelyNew(Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length),
                BlobContent.of(config), "config"));
        for (Descriptor l : manifest.layers()) {
            byte[] bytes = newBlobs.get(l.digest());
            if (bytes != null) {
                blobs.add(ImagePusher.Blob.likelyNew(l, BlobContent.of(bytes), "layer"));
            } else if (all) {
                blobs.add(ImagePusher.Blob.there(l, offset -> {
                    throw new IOException("blob " + l.digest() + " vanished from " + where());
                }, "layer"));
            }
        }
        return blobs;
    }
}
