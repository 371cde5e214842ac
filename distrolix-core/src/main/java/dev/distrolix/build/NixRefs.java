package dev.distrolix.build;

import dev.distrolix.InputException;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.PackageRef;
import dev.distrolix.nix.StorePath;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.PackageEntry;
import dev.distrolix.spec.Nixpkgs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the spec's package references onto what the Nix client builds, and resolves them as a build does (public for
 * the debug toolkit's cache key).
 */
public final class NixRefs {
    private NixRefs() {}

    /** The entry's reference, an attribute with the spec's package set filled in. */
    public static PackageRef of(PackageEntry entry, ImageSpec spec) {
        if (entry.ref() instanceof PackageRef.Attribute a && a.packageSet().isEmpty()) {
            return new PackageRef.Attribute(packageSet(spec), a.attrPath());
        }
        return entry.ref();
    }

    /**
     * Each of the spec's packages' out paths, by name in the spec's order, as a build asks Nix for them: evaluated
     * where all are built already (one evaluation per file), else built ({@code nix-build}, whose errors are then
     * the ones reported).
     */
    public static Map<String, List<StorePath>> outputsOf(ImageSpec spec, NixCli nix, List<String> includes) {
        NixInputs.PackageResolution evaluated = NixInputs.PackageResolution.evaluate(spec, nix, includes);
        return evaluated != null && nix.allValid(evaluated.roots()) ? evaluated.outputs()
                : NixInputs.PackageResolution.resolve(spec, nix, includes).outputs();
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
