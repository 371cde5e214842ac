/**
 * Reading any container image — ours, Debian/Alpine based, dockerTools — without unpacking it:
 * the model behind {@code inspect}, {@code compare}, {@code diff} (and audit, SBOM, why).
 * Modeled on go-containerregistry's {@code pkg/v1}.
 *
 * <pre>
 * try (OpenedImage o = Transports.open("podman:debian-minbase", RegistrySettings.defaults())) {
 *     Image img = o.image();                          // the one image model (dev.distrolix.image)
 *     FlatFilesystem fs = FlatFilesystem.read(img);   // one streaming pass over every layer
 *     StorePathIndex nix = StorePathIndex.of(fs);     // /nix/store paths: name, version, size, layer
 *     Detectors.Findings f = Detectors.scan(fs);      // shells, package managers, setuid
 * }
 * </pre>
 *
 * <p>Images come from {@link dev.distrolix.transport.Transports#open}, whatever their transport;
 * layers are read as {@link dev.distrolix.image.Layer#uncompressed()} streams that check the blob
 * digest, size and diff_id as they are read.
 *
 * <ul>
 *   <li>{@link dev.distrolix.inspect.LayerWalker} — streams each layer's tar entries once
 *       ({@link dev.distrolix.inspect.TarEntry}: normalized absolute path, type, mode, uid/gid,
 *       size, link target) and lets the visitor read a regular file's content; refuses '..'
 *       names and links that climb above the root. Nothing is ever extracted or followed on the host.
 *   <li>{@link dev.distrolix.inspect.FlatFilesystem} — the merged tree a container sees
 *       (whiteouts, opaque dirs, file-over-dir applied) as {@link dev.distrolix.inspect.FsEntry}s with
 *       a content sha256 and the layer index, plus a {@link dev.distrolix.inspect.LayerSummary} per
 *       layer (measured sizes, compression, entries, store paths). Keeps headers only: memory grows
 *       with the number of files, not their size. A {@code ContentTap} reads chosen files during
 *       the same pass (for audit: /etc/os-release, dpkg status, …).
 *   <li>{@link dev.distrolix.inspect.StorePathIndex} — the Nix view, for any image that has /nix/store.
 *   <li>{@link dev.distrolix.inspect.Detectors} — name-based shells / package managers / setuid.
 *   <li>{@link dev.distrolix.inspect.PlatformImage} — an image with the index entry that lists it
 *       (the one {@code --platform} picks, or every platform's for {@code --all-platforms});
 *       {@link dev.distrolix.inspect.IndexListing} — an index's entries as {@code inspect} lists them.
 * </ul>
 *
 * <p>Errors: everything wrong with the image (missing file or blob, bad JSON, digest or diff_id
 * mismatch, truncated archive or blob, path traversal) is a {@link dev.distrolix.InputException}
 * with one line naming the image and, for layers, "layer N (sha256:…)"; the CLI exits 3. A tool
 * failure (podman missing, I/O error) exits 1.
 */
package dev.distrolix.inspect;
