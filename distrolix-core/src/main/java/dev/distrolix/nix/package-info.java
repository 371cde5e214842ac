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
 * Nix is only ever run as a child process with an argument vector (see {@code NixCli}); errors
 * arrive as {@link dev.distrolix.nix.NixException} with a one-line message.
 */
package dev.distrolix.nix;
