package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import dev.distrolix.tar.LayerBlob;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished single-platform image: the exact config and manifest bytes (whose digests are what
 * every output will carry), the manifest's descriptor and the layer blobs on disk. Outputs
 * only copy these bytes; they never re-serialize. The {@link Image} a build makes.
 *
 * <p>The byte arrays are copied in and out, so an instance cannot be changed after its digests
 * were computed. {@code ownedFiles}: the blob files are this process's own (see {@link FileLayer#owned()}).
 */
public record AssembledImage(ImageConfig config, byte[] configBytes, Digest configDigest,
                             byte[] manifestBytes, Digest manifestDigest, Descriptor manifestDescriptor,
                             List<LayerBlob> blobs, Map<Digest, Layer> pushed, boolean ownedFiles) implements Image {
    public AssembledImage {
        Objects.requireNonNull(config, "config");
        configBytes = configBytes.clone();
        manifestBytes = manifestBytes.clone();
        blobs = List.copyOf(blobs);
        pushed = Map.copyOf(pushed);
        if (!Digest.sha256(configBytes).equals(configDigest)) {
            throw new IllegalArgumentException("config digest does not match the config bytes");
        }
        if (!Digest.sha256(manifestBytes).equals(manifestDigest)
                || !manifestDescriptor.digest().equals(manifestDigest)
                || manifestDescriptor.size() != manifestBytes.length) {
            throw new IllegalArgumentException("manifest digest/descriptor does not match the manifest bytes");
        }
    }

    @Override
    public byte[] configBytes() {
        return configBytes.clone();
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public String mediaType() {
        return manifestDescriptor.mediaType();
    }

    @Override
    public List<Layer> layers() {
        return blobs.stream().<Layer>map(b -> pushed.containsKey(b.digest()) ? pushed.get(b.digest())
                : new FileLayer(b, ownedFiles)).toList();
    }

    /**
     * The same image, where the layers in {@code layers} are not files but blobs already in the registry the image
     * goes to (made straight into its uploads: {@link LayerBlob#file()} is null for them).
     */
    public AssembledImage withPushed(Map<Digest, Layer> layers) {
        return new AssembledImage(config, configBytes, configDigest, manifestBytes, manifestDigest, manifestDescriptor,
                blobs, layers, ownedFiles);
    }

    /** The same image, its blob files marked as this process's own: a build's private folder, deleted when it ends. */
    public AssembledImage withOwnedFiles() {
        return new AssembledImage(config, configBytes, configDigest, manifestBytes, manifestDigest, manifestDescriptor,
                blobs, pushed, true);
    }

    @Override
    public Descriptor descriptor() {
        return manifestDescriptor;
    }

    /** The image ID as Docker and podman show it: the digest of the config bytes. */
    public Digest imageId() {
        return configDigest;
    }

    /** The chain ID of the whole layer stack; throws for an image without layers. */
    public Digest chainId() {
        return ChainId.of(config.diffIds());
    }

    /** Descriptor of the config blob, as the manifest references it. */
    public Descriptor configDescriptor() {
        return Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AssembledImage a && a.manifestDigest.equals(manifestDigest) && a.blobs.equals(blobs);
    }

    @Override
    public int hashCode() {
        return manifestDigest.hashCode();
    }

    @Override
    public String toString() {
        return "AssembledImage[manifest=" + manifestDigest + ", config=" + configDigest + ", layers=" + blobs.size() + "]";
    }
}
