package dev.distrolix.build;

import dev.distrolix.InputException;
import dev.distrolix.nix.PackageRef;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.Nixpkgs;
import java.nio.file.Path;
import java.util.Optional;

/** Maps the spec's package references onto what the Nix client builds (public for the debug toolkit's cache key). */
public final class NixRefs {
    private NixRefs() {}

    public static PackageRef of(dev.distrolix.spec.PackageRef ref, ImageSpec spec) {
        if (ref instanceof dev.distrolix.spec.PackageRef.StorePathRef s) {
            return new PackageRef.StorePathRef(s.storePath());
        } else if (ref instanceof dev.distrolix.spec.PackageRef.AttrRef a) {
            return new PackageRef.Attribute(packageSet(spec), a.attrPath());
        } else if (ref instanceof dev.distrolix.spec.PackageRef.FileRef f) {
            return new PackageRef.NixFile(f.file(), f.attr());
        }
        return new PackageRef.Flake(((dev.distrolix.spec.PackageRef.FlakeRef) ref).ref());
    }

    private static Optional<Path> packageSet(ImageSpec spec) {
        if (spec.nixpkgs().isEmpty()) {
            return Optional.empty();
        }
        Nixpkgs n = spec.nixpkgs().get();
        if (n instanceof Nixpkgs.LocalPath p) {
            return Optional.of(p.path());
        }
        Nixpkgs.SearchPath sp = (Nixpkgs.SearchPath) n;
        if (!sp.name().equals("nixpkgs")) {
            throw new InputException(spec.file() + ": nixpkgs: only <nixpkgs> or a path is supported, not <" + sp.name() + ">");
        }
        return Optional.empty();
    }
}
