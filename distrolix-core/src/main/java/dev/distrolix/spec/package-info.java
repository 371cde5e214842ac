/**
 * The image spec: its model, loading and validation, and rendering once packages are built.
 *
 * <h2>Flow</h2>
 * <pre>{@code
 * ImageSpec spec = SpecLoader.load(Path.of("examples/nginx/image.yaml"));   // or image.json
 * // or SpecLoader.fromString(text, "<stdin>", baseDir), SpecLoader.fromStream(in, name, baseDir),
 * // or ImageSpec.builder().name("nginx").packages("nginx")…build()
 * Map<String, StorePath> built = ...;            // Nix resolves spec.packages(), by PackageRef.name()
 * ResolvedSpec resolved = SpecRenderer.render(spec, built);
 * resolved.paths();  resolved.config().envList();  spec.layering();  spec.accounts();
 * }</pre>
 * Every problem is a {@link dev.distrolix.spec.SpecException} whose message is one line,
 * {@code file:line:col: key.path: problem}.
 *
 * <h2>How loading works</h2>
 * {@link dev.distrolix.spec.SpecTreeReader} turns YAML or JSON into a small tree that remembers the location
 * of every key and value (Jackson's streaming parser; duplicate keys, second YAML documents and trailing JSON
 * rejected; YAML anchors, aliases and {@code <<} merge keys resolved). Binders then read that tree by hand,
 * one per section ({@code PackagesBinder}, {@code AccountsBinder}, {@code PathsBinder}, {@code ConfigBinder},
 * the rest in {@link dev.distrolix.spec.SpecLoader}), through {@code SpecValue}/{@code SpecMap}, which turn
 * every mismatch into an error at the right place. Unknown keys are reported with the closest allowed key.
 * Reading is bounded (4 MiB, 64 levels, 50 aliases to maps or lists, 10,000 keys copied by merge keys), so a
 * hostile document fails at once. {@link dev.distrolix.spec.ImageSpecBuilder} makes the same tree from Java
 * calls and binds it with the same binders, so a spec built in code obeys every rule below.
 *
 * <h2>Rules the schema leaves open, as implemented</h2>
 * <ul>
 *   <li>Where a string is expected, numbers and booleans are accepted as the text they were written as
 *       ({@code tag: 1.10} is "1.10", {@code PORT: 80} is "80"). Integer fields (uid, gid, max-layers) take
 *       numbers only. An explicit {@code null} is the same as leaving the key out.</li>
 *   <li>Vars are literal: no interpolation inside vars.</li>
 *   <li>Root: added first as {@code root:0:0:/root:/sbin/nologin} (group {@code root:0}) unless a user (group)
 *       named root or with id 0 is declared.</li>
 *   <li>A user without {@code group}/{@code gid} gets the group of its own name, if declared. Numeric ids
 *       (gid, owner, group, config.user) need not be declared; names must be.</li>
 *   <li>Paths: "/" and anything at or below /nix/store (and /nix) are refused; a trailing '/' is dropped;
 *       nothing may be declared below a declared file or symlink. {@code mode} is refused on symlinks.
 *       A symlink target whose '..' segments climb above '/' (resolved lexically from the link's folder, or
 *       from the root for an absolute target) is refused: image readers refuse such links.</li>
 *   <li>{@code config.cmd} and {@code config.entrypoint} are lists; a single string is refused (there is no
 *       shell in the image to split it).</li>
 *   <li>Sources: must exist when the spec is loaded; {@code interpolate: true} sources are read (UTF-8) and
 *       their placeholders checked at load time, errors pointing into the source file.</li>
 *   <li>Packages: a {@code .nix} file (or {@code file:} folder) must exist; {@code pkgs/x/default.nix} is
 *       named {@code x}; a flake fragment's {@code ^outputs} are ignored for the name
 *       ({@code nixpkgs#openssl^dev} is {@code openssl}).</li>
 *   <li>nixpkgs: {@code <name>} is a NIX_PATH entry, anything else a folder that must exist.</li>
 *   <li>Profile: a {@code profile} section without {@code prefix} links into "/".</li>
 *   <li>Exposed ports are normalised when loading ({@code 80} to {@code 80/tcp}); config.user, ports,
 *       working-dir and volumes are checked with vars substituted and may not mention package paths where
 *       that would make no sense (user, ports).</li>
 * </ul>
 */
package dev.distrolix.spec;
