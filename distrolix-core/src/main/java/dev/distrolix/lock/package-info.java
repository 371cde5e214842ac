/**
 * {@code image.lock.json}: what a spec resolved to (its packages' store paths, the whole closure with
 * each path's NarHash, NarSize, references and signatures as the binary cache states them) and where to
 * fetch it from, so that {@code distrolix build --locked} needs neither Nix nor /nix/store.
 */
package dev.distrolix.lock;
