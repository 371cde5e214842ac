package dev.distrolix.spec;

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
 * @param file        the spec file as given to the loader (used in messages)
 * @param baseDir     the absolute folder of the spec file: relative paths in the spec are resolved against it
 * @param name        the image repository name
 * @param tag         the tag; absent means "derive one from the image content"
 * @param vars        the {@code vars} section in file order, all values as strings
 * @param packages    in file order, names unique
 * @param accounts    declared users and groups, root included
 * @param paths       extra files, directories and symlinks, in file order
 * @param profile     links of package contents into a prefix; absent means no links
 * @param compression "gzip", "zstd" or "none"; absent means the builder's default
 */
public record ImageSpec(
        Path file,
        Path baseDir,
        String name,
        Optional<String> tag,
        Optional<Nixpkgs> nixpkgs,
        Optional<String> system,
        Map<String, String> vars,
        List<PackageRef> packages,
        Accounts accounts,
        List<PathSpec> paths,
        Optional<ProfileSpec> profile,
        ConfigSpec config,
        LayeringSpec layering,
        Optional<String> compression) {

    public ImageSpec {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(nixpkgs, "nixpkgs");
        Objects.requireNonNull(system, "system");
        vars = OrderedMaps.copyOf(vars);
        packages = List.copyOf(packages);
        Objects.requireNonNull(accounts, "accounts");
        paths = List.copyOf(paths);
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(layering, "layering");
        Objects.requireNonNull(compression, "compression");
    }

    public Optional<PackageRef> packageNamed(String packageName) {
        return packages.stream().filter(p -> p.name().equals(packageName)).findFirst();
    }
}
