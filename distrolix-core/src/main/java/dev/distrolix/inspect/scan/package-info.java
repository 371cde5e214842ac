/**
 * The single streaming pass that audit, sbom and why make over an image, and path lookup in its
 * merged filesystem.
 *
 * <ul>
 *   <li>{@link dev.distrolix.inspect.scan.ImageScan#run} builds the
 *       {@link dev.distrolix.inspect.FlatFilesystem} and hands every tar entry and the bytes of
 *       every regular file (read once, 64 KiB at a time) to the {@link dev.distrolix.inspect.scan.ScanCollector}s
 *       that ask for them — ELF headers, store-hash windows, NAR hashes, script first lines,
 *       per-layer sizes. Collectors see entries of every layer, including those a later layer
 *       replaces, so they key results by path and layer and match them against the merged tree.
 *   <li>{@link dev.distrolix.inspect.scan.ImageTree} resolves paths as the kernel does inside the
 *       container: symlinks followed (absolute targets from the image root), ".." clamped at the
 *       root (and remembered), 40 links at most, implicit parent directories. Never on the host.
 * </ul>
 *
 * Symlinks climbing above the root are accepted here (the plain reader refuses them) so that the
 * audit can report them.
 */
package dev.distrolix.inspect.scan;
