package dev.distrolix.image;

import dev.distrolix.blob.Compression;
import java.util.List;

/**
 * A Docker schema 2 image as an OCI one — same config and layer blobs, OCI media types, a new
 * manifest — as skopeo converts it: OCI layouts (which every local output contains) list OCI
 * manifests, and podman and skopeo do not see others there. The digest changes with the bytes.
 */
public final class DockerToOci {
    private DockerToOci() {}

    /** {@code image} itself when it is OCI already. */
    public static Image convert(Image image) {
        if (!MediaTypes.DOCKER_MANIFEST.equals(image.mediaType())) {
            return image;
        }
        List<Descriptor> layers = image.layers().stream()
                .map(l -> Descriptor.of(Compression.ofMediaType(l.mediaType()).mediaType(), l.digest(), l.size()))
                .toList();
        Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, image.configDigest(), image.configDescriptor().size());
        byte[] manifest = CanonicalJson.manifest(new ImageManifest(config, layers, null));
        return ImageParts.remade(image, manifest, MediaTypes.OCI_MANIFEST, config, image.layers(), image.sourceDigest());
    }
}
