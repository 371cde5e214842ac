/**
 * Nix binary caches (substituters) as a store source: narinfo parsing, Ed25519 signature checks over
 * Nix's fingerprint, NAR download with retries and the NAR stream parser that yields the same
 * {@link dev.distrolix.nix.NarEntry} walk as {@link dev.distrolix.nix.LocalStoreSource}, so a build
 * from a cache gives byte-identical layers without Nix or /nix/store.
 */
package dev.distrolix.nix.substituter;
