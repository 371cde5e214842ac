/**
 * The transport layer: where images are read from and written to, named like skopeo's transports
 * — {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]}, {@code docker-archive:FILE[:NAME[:TAG]]},
 * {@code podman[:NAME[:TAG]]}, {@code docker[:NAME[:TAG]]} and {@code docker://HOST[:PORT]/REPO[:TAG…]}.
 * {@link dev.distrolix.transport.ImageReference} is the one parser; {@link dev.distrolix.transport.Transports}
 * opens any of them as an {@link dev.distrolix.image.Image} or {@link dev.distrolix.image.ImageIndex}
 * and writes any {@link dev.distrolix.image.Image} to any of them.
 *
 * <p>Readers see an image's storage as {@link dev.distrolix.transport.ImageFiles} (a directory, an
 * archive's members, a registry), so one {@link dev.distrolix.transport.LayoutReader} reads them all.
 * Writers copy the exact manifest and config bytes, so the manifest digest is the same in every
 * output, and identical inputs give identical files and archives; layer blobs are always copied
 * and verified, never linked, so an output never shares storage with the layer cache.
 *
 * <p>Failure contract: a failed write (exception, disk full, unwritable folder, a layer file
 * gone or changed) leaves the previous output byte-identical and no temp files; the error is
 * an {@link dev.distrolix.transport.ImageOutputException} with a one-line message.
 */
package dev.distrolix.transport;
