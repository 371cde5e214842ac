package dev.distrolix.spec;

import dev.distrolix.blob.Compression;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded and validated image spec: what to put in the image and how to configure it. Package store paths
 * are not known yet (Nix resolves them later), so strings that may mention them are kept as {@link Template}s;
 * {@link SpecRenderer} turns the spec into final values once they are known.
 *
 * @param file        the spec file as given to the loader, {@code <stdin>}, or {@code ImageSpec.builder()}: used
 *                    in messages only, never in the image
 * @param baseDir     absolute: relative paths in the spec are resolved against it (the spec file's folder by
 *                    default)
 * @param name        the image repository name
 * @param tag         the tag; absent means "derive one from the image content"
 * @param vars        the {@code vars} section in file order, all values as strings
 * @param packages    in file order, names unique
 * @param accounts    declared users and groups, root included
 * @param paths       extra files, directories and symlinks, in file order
 * @param profile     links of package contents into a prefix; absent means no links
 * @param compression absent means the build's default (gzip)
 * @param system      the Nix system the packages are evaluated for ({@code x86_64-linux}); absent: Nix's own
 * @param platforms   {@code os/arch[/variant]} of each image of a multi-platform build; empty: one image
 */
public record ImageSpec(
        Path file,
        Path baseDir,
        String name,
        Optional<String> tag,
        Optional<Nixpkgs> nixpkgs,
        Optional<String> system,
        List<String> platforms,
        Map<String, String> vars,
        List<PackageEntry> packages,
        Accounts accounts,
        List<PathSpec> paths,
        Optional<ProfileSpec> profile,
        ConfigSpec config,
        LayeringSpec layering,
        Optional<Compression> compression) {

    public ImageSpec {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(nixpkgs, "nixpkgs");
        Objects.requireNonNull(system, "system");
        platforms = List.copyOf(platforms);
        vars = OrderedMaps.copyOf(vars);
        packages = List.copyOf(packages);
        Objects.requireNonNull(accounts, "accounts");
        paths = List.copyOf(paths);
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(layering, "layering");
        Objects.requireNonNull(compression, "compression");
    }

    /** A spec without {@code platforms} (one image). */
    public ImageSpec(Path file, Path baseDir, String name, Optional<String> tag, Optional<Nixpkgs> nixpkgs,
                     Optional<String> system, Map<String, String> vars, List<PackageEntry> packages, Accounts accounts,
                     List<PathSpec> paths, Optional<ProfileSpec> profile, ConfigSpec config, LayeringSpec layering,
                     Optional<Compression> compression) {
        this(file, baseDir, name, tag, nixpkgs, system, List.of(), vars, packages, accounts, paths, profile, config,
                layering, compression);
    }

    /** The same spec for one platform of a multi-platform build: its system, no platform list. */
    public ImageSpec forSystem(String nixSystem) {
        return new ImageSpec(file, baseDir, name, tag, nixpkgs, Optional.of(nixSystem), List.of(), vars, packages,
                accounts, paths, profile, config, layering, compression);
    }

    /** A spec written in Java: the same keys, checked by the same rules as a spec file. */
    public static ImageSpecBuilder builder() {
        return new ImageSpecBuilder();
    }

    public Optional<PackageEntry> packageNamed(String packageName) {
        return packages.stream().filter(p -> p.name().equals(packageName)).findFirst();
    }
}
