package dev.distrolix.transport;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageConfig;
import dev.distrolix.image.Layer;
import java.util.List;

/**
 * An image read from a transport. The manifest and config bytes were checked against their
 * digests when it was read; the layers are checked as they are streamed.
 *
 * @param converted    true when the manifest was made by the reader (a docker-archive with only
 *                     manifest.json has none): {@link #sourceDigest()} is then null
 */
record StoredImage(byte[] manifest, Digest manifestDigest, String mediaType, Descriptor configDescriptor,
                   byte[] configData, ImageConfig parsedConfig, List<Layer> layers, boolean converted) implements Image {
    StoredImage {
        layers = List.copyOf(layers);
    }

    @Override
    public byte[] manifestBytes() {
        return manifest.clone();
    }

    @Override
    public byte[] configBytes() {
        return configData.clone();
    }

    @Override
    public Digest configDigest() {
        return configDescriptor.digest();
    }

    @Override
    public ImageConfig config() {
        return parsedConfig;
    }

    @Override
    public Digest sourceDigest() {
        return converted ? null : manifestDigest;
    }

    @Override
    public String toString() {
        return "StoredImage[" + manifestDigest + "]";
    }
}
