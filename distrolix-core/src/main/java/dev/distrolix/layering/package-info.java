/**
 * Which store paths go into which image layer: pure, deterministic functions of a
 * {@link dev.distrolix.nix.Closure}.
 *
 * <pre>{@code
 * Closure closure = nix.queryClosure(roots);
 * List<List<StorePath>> layers = Layering.plan("popularity", closure, 100); // ≤ 99 store layers
 * }</pre>
 *
 * Strategies: {@link dev.distrolix.layering.Popularity} (dockerTools' legacy popularity contest,
 * the default), {@link dev.distrolix.layering.SizeBased} (nixpkgs' auto-layer),
 * {@link dev.distrolix.layering.PerPath} and {@link dev.distrolix.layering.Single}.
 */
package dev.distrolix.layering;
