/**
 * Image transports for reading: {@link dev.distrolix.inspect.source.ImageSource} (one record per
 * transport, parsed from skopeo-style names) opens an {@link dev.distrolix.inspect.source.ImageHandle}
 * holding the {@link dev.distrolix.inspect.OciImage}. The readers see an image only through
 * {@link dev.distrolix.inspect.source.ImageFiles} (a directory or an indexed tar, by relative
 * path), so a new transport needs a record in the sealed interface and either an
 * {@code ImageFiles} or its own way to build the {@code OciImage} (a
 * {@link dev.distrolix.inspect.BlobOpener} that fetches blobs). {@code docker://} is the example:
 * {@code RegistryFiles} shows a registry image to the OCI layout reader as a virtual layout
 * (a made-up index.json naming the manifest; blobs fetched and verified on demand).
 */
package dev.distrolix.inspect.source;
