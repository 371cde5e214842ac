/**
 * The OCI image model: {@link dev.distrolix.image.ImageAssembler} turns layer blobs and runtime
 * settings into an {@link dev.distrolix.image.AssembledImage} (config + manifest bytes and their
 * digests). {@link dev.distrolix.image.CanonicalJson} is the only place JSON becomes bytes.
 */
package dev.distrolix.image;
