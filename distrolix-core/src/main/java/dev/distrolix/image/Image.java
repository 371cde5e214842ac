package dev.distrolix.image;

import dev.distrolix.blob.Digest;
import java.util.List;

/**
 * One single-platform image, wherever it came from (built, cached, read from any transport):
 * go-containerregistry's {@code v1.Image}. The manifest and config are the exact bytes every
 * output carries — writers copy them, never re-serialize — so the digest survives any copy.
 * Implementations verify what they read (digests of the manifest, the config, and of every layer
 * as it is streamed).
 */
public non-sealed interface Image extends Artifact {
    /** The manifest's exact bytes (a copy). */
    @Override
    byte[] manifestBytes();

    /** sha256 of {@link #manifestBytes()}. */
    @Override
    Digest manifestDigest();

    /** OCI or Docker manifest media type. */
    @Override
    String mediaType();

    /** The config's exact bytes (a copy). */
    byte[] configBytes();

    /** sha256 of {@link #configBytes()}: the "image ID" Docker and podman show. */
    Digest configDigest();

    /** The config's descriptor as the manifest lists it. */
    Descriptor configDescriptor();

    /** The config, parsed. */
    ImageConfig config();

    /** Base layer first; as many as {@code config().diffIds()}. */
    List<Layer> layers();

    default Platform platform() {
        return config().platform();
    }

    /**
     * The digest the image is known by where it is stored. Equal to {@link #manifestDigest()},
     * except for an image exported from podman or Docker, whose export converts the manifest: it
     * is then the engine's own digest ({@code podman image inspect --format '{{.Digest}}'}), and
     * {@link #converted()} is true — compare such images by config digest and diff_ids.
     */
    default Digest sourceDigest() {
        return manifestDigest();
    }

    /** True when {@link #manifestBytes()} are not the bytes the source stores (see {@link #sourceDigest()}). */
    default boolean converted() {
        return false;
    }

    /** The descriptor of the manifest, with the platform, as an index lists it. */
    default Descriptor descriptor() {
        return new Descriptor(mediaType(), manifestDigest(), manifestBytes().length, null, platform());
    }
}
