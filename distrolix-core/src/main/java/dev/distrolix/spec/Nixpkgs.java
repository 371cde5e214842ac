package dev.distrolix.spec;

import java.nio.file.Path;
import java.util.Objects;

/** Where attribute-path packages come from: a local checkout or a {@code <name>} entry of NIX_PATH. */
public sealed interface Nixpkgs {
    SourceLocation location();

    /** A nixpkgs tree on disk (absolute, resolved against the spec's folder). */
    record LocalPath(Path path, SourceLocation location) implements Nixpkgs {
        public LocalPath {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(location, "location");
        }
    }

    /** {@code <nixpkgs>}: looked up in NIX_PATH by Nix. {@code name} is the part between the brackets. */
    record SearchPath(String name, SourceLocation location) implements Nixpkgs {
        public SearchPath {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(location, "location");
        }
    }
}
