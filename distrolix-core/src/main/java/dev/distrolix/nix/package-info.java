/**
 * Store paths, closures and the installed Nix.
 *
 * <pre>{@code
 * NixCli nix = NixCli.create();
 * List<StorePath> roots = nix.resolve(PackageRef.parse("hello", Optional.of(Path.of("./pkgs"))));
 * Closure closure = nix.queryClosure(roots);
 * NixSystem system = nix.system();            // x86_64-linux → linux/amd64
 * }</pre>
 *
 * Nix is only ever run as a child process with an argument vector (see {@code NixCli}). Errors
 * have a one-line message: what the user asked for that Nix does not have (an attribute, a store
 * path, a file) is a {@link dev.distrolix.nix.NixInputException} (an input error, exit 3); Nix
 * failing or missing is a {@link dev.distrolix.nix.NixException} (a tool failure, exit 1).
 */
package dev.distrolix.nix;
