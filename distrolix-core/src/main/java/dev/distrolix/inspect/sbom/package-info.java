/**
 * {@code distrolix sbom}: a bill of materials from the image alone. One component per store
 * path — name and version split like Nix's parseDrvName, purl {@code pkg:nix/NAME@VERSION}, the
 * NAR hash (SHA-256 of the NAR serialization, i.e. Nix's narHash) — and the dependency edges
 * reconstructed by scanning contents for store hashes ({@link dev.distrolix.inspect.refs}), in one
 * pass over the layers.
 *
 * <p>Images distrolix builds carry the graph Nix recorded at build time in the config label
 * {@code dev.distrolix.closure.references} ({@link dev.distrolix.image.ClosureGraphLabel}; a label
 * so that the file list is unchanged and every transport keeps it); {@link dev.distrolix.inspect.sbom.GraphCheck}
 * compares: "graph: scanned, agrees with build-time graph", or the differing edges and paths.
 *
 * <p>Output: CycloneDX 1.6 JSON with Jackson's streaming generator, the bytes the official
 * cyclonedx-core-java generator writes (the tests compare them and validate against its schema), SPDX 2.3 JSON (validated against SPDX's 2.3 schema in
 * the tests).
 */
package dev.distrolix.inspect.sbom;
