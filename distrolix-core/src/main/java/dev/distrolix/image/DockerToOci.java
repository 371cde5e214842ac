package dev.distrolix.image;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
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
        return new Converted(image, manifest, Digest.sha256(manifest), config);
    }

    private record Converted(Image docker, byte[] manifest, Digest digest, Descriptor configDesc) implements Image {
        @Override
        public byte[] manifestBytes() {
            return manifest.clone();
        }

        @Override
        public Digest manifestDigest() {
            return digest;
        }

        @Override
        public String mediaType() {
            return MediaTypes.OCI_MANIFEST;
        }

        @Override
        public byte[] configBytes() {
            return docker.configBytes();
        }

        @Override
        public Digest configDigest() {
            return docker.configDigest();
        }

        @Override
        public Descriptor configDescriptor() {
            return configDesc;
        }

        @Override
        public ImageConfig config() {
            return docker.config();
        }

        @Override
        public List<Layer> layers() {
            return docker.layers();
        }

        @Override
        public boolean converted() {
            return true;
        }

        @Override
        public Digest sourceDigest() {
            return docker.sourceDigest();
        }
    }
}
