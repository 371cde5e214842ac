/**
 * {@code distrolix why}: {@code nix why-depends} for an image, from the image alone — the chain of
 * references from the entrypoint's store path (or the image's roots) to a store path, package or
 * file, and what it costs (own bytes, closure bytes, bytes reachable only through it). See
 * {@link dev.distrolix.inspect.why.Why} for the definitions.
 */
package dev.distrolix.inspect.why;
