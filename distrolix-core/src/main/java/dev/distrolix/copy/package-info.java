/**
 * {@code distrolix copy SRC DST}: {@link dev.distrolix.copy.ImageCopy} reads an image from a
 * registry ({@code docker://}), an OCI layout ({@code oci:}), or an archive ({@code oci-archive:},
 * {@code docker-archive:} — Docker 25 shape or the classic {@code docker save} one, whose
 * uncompressed layers are gzip-compressed on the way) and writes it to any
 * {@link dev.distrolix.transport.ImageTarget}. Manifest bytes are not rewritten, so digests survive
 * (except a Docker schema 2 manifest written to a local output: OCI layouts list only OCI manifests,
 * so it becomes one, as skopeo does).
 *
 * <p>The sources ({@code SourceImage} and its four kinds) are deliberately local to copying;
 * {@link dev.distrolix.registry.RegistryImageReader} is the piece meant to back a general
 * {@code docker://} image source elsewhere.
 */
package dev.distrolix.copy;
