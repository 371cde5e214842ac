package dev.distrolix.transport;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageConfig;
import dev.distrolix.image.Layer;
import java.util.List;

/**
 * An image exported from podman: the export's bytes, but known by the digest podman shows. podman
 * may store a manifest other than the one it exports (it keeps layers uncompressed); when the two
 * differ the image is {@link #converted()} and compares with others by config digest and diff_ids.
 */
record EngineImage(Image exported, Digest engineDigest) implements Image {
    static Image of(Image exported, Digest engineDigest) {
        return engineDigest == null ? exported : new EngineImage(exported, engineDigest);
    }

    @Override
    public byte[] manifestBytes() {
        return exported.manifestBytes();
    }

    @Override
    public Digest manifestDigest() {
        return exported.manifestDigest();
    }

    @Override
    public String mediaType() {
        return exported.mediaType();
    }

    @Override
    public byte[] configBytes() {
        return exported.configBytes();
    }

    @Override
    public Digest configDigest() {
        return exported.configDigest();
    }

    @Override
    public Descriptor configDescriptor() {
        return exported.configDescriptor();
    }

    @Override
    public ImageConfig config() {
        return exported.config();
    }

    @Override
    public List<Layer> layers() {
        return exported.layers();
    }

    @Override
    public Digest sourceDigest() {
        return engineDigest;
    }

    @Override
    public boolean converted() {
        return !engineDigest.equals(exported.manifestDigest());
    }
}
