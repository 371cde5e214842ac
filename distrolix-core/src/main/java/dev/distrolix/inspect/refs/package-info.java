/**
 * Nix's reference graph, rebuilt from an image alone, the way Nix itself finds references after a
 * build: every 32-character window of a run of nix32 characters ({@code 0-9a-z} without e, o, u,
 * t) in a file's bytes or a symlink's target is a candidate, and a candidate equal to the hash
 * part of another store path present in the image is a reference.
 *
 * <ul>
 *   <li>{@link dev.distrolix.inspect.refs.HashWindowScanner} — the windows, across read buffers
 *       (a run straddling two chunks is carried over).
 *   <li>{@link dev.distrolix.inspect.refs.ReferenceScanner} — per store path (and per file outside
 *       the store) the candidates; the layers are streamed once, and a file may name a store path
 *       whose layer comes later, so candidates are matched when the pass ends.
 *   <li>{@link dev.distrolix.inspect.refs.ReferenceGraph} — references, referrers, roots, closures,
 *       shortest chains; with the file that names each reference.
 *   <li>{@link dev.distrolix.inspect.refs.NarHasher} — each store path's NAR hash (Nix's
 *       {@code narHash}), serialized on the fly when the layer lists the path in NAR order.
 * </ul>
 *
 * On the fixtures this gives exactly {@code nix path-info}'s references and narHash (tested).
 */
package dev.distrolix.inspect.refs;
