/**
 * Image outputs, named like skopeo transports: {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]},
 * {@code docker-archive:FILE[:NAME[:TAG]]}, {@code podman[:NAME[:TAG]]}, {@code docker[:NAME[:TAG]]}, and
 * registries: {@code docker://HOST[:PORT]/REPO[:TAG[,TAG…]]} (pushed by {@code dev.distrolix.registry}).
 *
 * <p>Entry point: {@link dev.distrolix.transport.ImageWriter#write}. Every writer copies the exact
 * config/manifest bytes of an {@link dev.distrolix.image.AssembledImage}, so the manifest digest
 * is the same in every output, and identical inputs give identical files and archives.
 *
 * <p>Failure contract: a failed write (exception, disk full, unwritable folder, a layer file
 * gone or changed) leaves the previous output byte-identical and no temp files; the error is
 * an {@link dev.distrolix.transport.ImageOutputException} with a one-line message.
 */
package dev.distrolix.transport;
