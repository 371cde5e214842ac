package dev.distrolix.spec;

import dev.distrolix.nix.StorePath;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code packages}: something Nix can build or fetch into the store, and the name the spec uses
 * for it ({@code ${packages.NAME}}, {@code profile.packages}). Names are unique within a spec.
 */
public sealed interface PackageRef {
    String name();

    /** Where the entry was written, for errors reported when Nix evaluates or builds it. */
    SourceLocation location();

    /** An attribute path in the package set, such as {@code nginx} or {@code python3Packages.flask}. */
    record AttrRef(String name, String attrPath, SourceLocation location) implements PackageRef {
        public AttrRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(attrPath, "attrPath");
            Objects.requireNonNull(location, "location");
        }
    }

    /** A path already in the store (it must exist there, or be substitutable, when the image is built). */
    record StorePathRef(String name, StorePath storePath, SourceLocation location) implements PackageRef {
        public StorePathRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(storePath, "storePath");
            Objects.requireNonNull(location, "location");
        }
    }

    /** A Nix file (absolute, resolved against the spec's folder), optionally with an attribute path into it. */
    record FileRef(String name, Path file, Optional<String> attr, SourceLocation location) implements PackageRef {
        public FileRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(attr, "attr");
            Objects.requireNonNull(location, "location");
        }
    }

    /** A flake reference as Nix understands it, such as {@code nixpkgs#hello} or {@code github:o/r#pkg}. */
    record FlakeRef(String name, String ref, SourceLocation location) implements PackageRef {
        public FlakeRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(location, "location");
        }
    }
}
