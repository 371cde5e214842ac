package dev.distrolix.image;

import dev.distrolix.blob.Digest;

/**
 * What a reference names: a single {@link Image} or an {@link ImageIndex} of several. Sources
 * open one of the two; writers of every transport take either (those that hold one platform
 * pick it from an index with {@link PlatformChoice}).
 */
public sealed interface Artifact permits Image, ImageIndex {
    byte[] manifestBytes();

    Digest manifestDigest();

    String mediaType();
}
