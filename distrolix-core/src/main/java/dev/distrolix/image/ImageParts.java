package dev.distrolix.image;

import dev.distrolix.blob.Digest;
import java.util.List;
import java.util.Objects;

/**
 * An image whose parts are in hand: the manifest and config bytes (checked against their digests
 * by whoever read or made them), the parsed config and the layers. Readers, conversions and
 * exports all return this one value.
 *
 * @param sourceDigest the digest the image's source knows it by (see {@link Image#sourceDigest()});
 *                     null when the source stores no manifest
 * @param converted    true when {@code manifest} is not what the source stores
 */
public record ImageParts(byte[] manifest, Digest manifestDigest, String mediaType, Descriptor configDescriptor,
                         byte[] configData, ImageConfig parsedConfig, List<Layer> layers, Digest sourceDigest,
                         boolean converted) implements Image {
    public ImageParts {
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(configDescriptor, "configDescriptor");
        Objects.requireNonNull(parsedConfig, "parsedConfig");
        manifest = manifest.clone();
        configData = configData.clone();
        layers = List.copyOf(layers);
    }

    /** The parts of an image as its source stores them. */
    public static ImageParts stored(byte[] manifest, Digest manifestDigest, String mediaType, Descriptor config,
                                    byte[] configData, ImageConfig parsed, List<Layer> layers) {
        return new ImageParts(manifest, manifestDigest, mediaType, config, configData, parsed, layers, manifestDigest,
                false);
    }

    /** {@code image} with a manifest made anew (same config and layer content); {@code sourceDigest} as given. */
    public static ImageParts remade(Image image, byte[] manifest, String mediaType, Descriptor config, List<Layer> layers,
                                    Digest sourceDigest) {
        return new ImageParts(manifest, Digest.sha256(manifest), mediaType, config, image.configBytes(), image.config(),
                layers, sourceDigest, true);
    }

    /** The same image, known by its source under another digest (an engine's own). */
    public ImageParts withSourceDigest(Digest digest) {
        return new ImageParts(manifest, manifestDigest, mediaType, configDescriptor, configData, parsedConfig, layers,
                digest, !digest.equals(manifestDigest));
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
    public String toString() {
        return "ImageParts[" + manifestDigest + (converted ? ", converted" : "") + "]";
    }
}
