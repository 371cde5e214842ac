package dev.distrolix.spec;

import dev.distrolix.nix.PackageRef;
import java.util.Objects;

/**
 * One entry of {@code packages}: what Nix builds or fetches ({@link PackageRef}, the one type for
 * it), the name the spec uses for it ({@code ${packages.NAME}}, {@code profile.packages}; unique
 * within a spec) and where it was written, for errors reported when Nix evaluates or builds it.
 * An attribute's package set is left empty here: the spec's {@code nixpkgs:} fills it in at build
 * time.
 */
public record PackageEntry(String name, PackageRef ref, SourceLocation location) {
    public PackageEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(location, "location");
    }
}
