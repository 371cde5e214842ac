package dev.distrolix.nix;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user names as the contents of an image, before Nix turns it into store paths.
 *
 * <p>Text syntax accepted by {@link #parse(String, Optional)}, checked in this order:
 * <ul>
 *   <li>{@code /nix/store/<hash>-<name>} — a store path; a path inside one
 *       ({@code …-hello/bin/hello}) means the store path that contains it, as in Nix itself;</li>
 *   <li>{@code flake:REF} — a flake reference, prefix stripped ({@code flake:.#hello});</li>
 *   <li>{@code FILE.nix#ATTR} — an attribute of a Nix file;</li>
 *   <li>{@code REF#ATTR} (part before '#' not ending in {@code .nix}) — a flake reference,
 *       e.g. {@code .#hello}, {@code path:/src#app}, {@code github:o/r#x};</li>
 *   <li>{@code FILE.nix}, or anything with a '/' — a Nix file or a directory with default.nix;</li>
 *   <li>anything else, e.g. {@code hello} or {@code python3Packages.requests} — an attribute path
 *       in the package set (the spec's set if given, otherwise {@code <nixpkgs>}).</li>
 * </ul>
 */
public sealed interface PackageRef {
    /** A store path that must already be valid in the local store (nothing is built). */
    record StorePathRef(StorePath path) implements PackageRef {
        public StorePathRef {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * An attribute path in a package set: {@code packageSet} is a folder with default.nix or a
     * .nix file; when empty, {@code <nixpkgs>} is looked up in NIX_PATH / the include args.
     */
    record Attribute(Optional<Path> packageSet, String attrPath) implements PackageRef {
        public Attribute {
            Objects.requireNonNull(packageSet, "packageSet");
            checkAttrPath(attrPath);
        }
    }

    /** A Nix file (or a directory with default.nix), optionally with an attribute path in it. */
    record NixFile(Path file, Optional<String> attrPath) implements PackageRef {
        public NixFile {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(attrPath, "attrPath").ifPresent(PackageRef::checkAttrPath);
        }
    }

    /** A flake installable, built with {@code nix build}. */
    record Flake(String ref) implements PackageRef {
        public Flake {
            if (ref == null || ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace)) {
                throw new dev.distrolix.InputException("not a flake reference: '" + ref + "'");
            }
            dev.distrolix.ToolArgs.checkNotOption("flake reference", ref); // nix build REF: '-…' would be an option
        }
    }

    /** Attribute paths as nix-build's -A takes them: dot-separated names or list indices. */
    Pattern ATTR_PATH = Pattern.compile("[A-Za-z0-9_'+-]+(\\.[A-Za-z0-9_'+-]+)*");
    /** A store path possibly followed by a path inside it. */
    Pattern IN_STORE = Pattern.compile("(/.*?/[" + Nix32.ALPHABET + "]{" + Nix32.HASH_LENGTH + "}-[^/]+)(/.*)?");

    /**
     * Parses the text syntax described on this interface.
     *
     * @param packageSet the package set for bare attribute paths (a spec's {@code nixpkgs:}); empty means {@code <nixpkgs>}
     */
    static PackageRef parse(String text, Optional<Path> packageSet) {
        Objects.requireNonNull(packageSet, "packageSet");
        if (text == null || text.isBlank()) {
            throw new dev.distrolix.InputException("empty package reference");
        }
        String t = text.strip();
        Matcher store = IN_STORE.matcher(t);
        if (store.matches() && StorePath.isStorePath(store.group(1))) {
            return new StorePathRef(StorePath.parse(store.group(1)));
        }
        if (t.startsWith("flake:")) {
            return new Flake(t.substring("flake:".length()));
        }
        int hash = t.indexOf('#');
        if (hash >= 0) {
            String before = t.substring(0, hash);
            if (before.endsWith(".nix")) {
                String attr = t.substring(hash + 1);
                if (!ATTR_PATH.matcher(attr).matches()) {
                    throw new dev.distrolix.InputException("not an attribute path: '" + attr + "' in '" + t + "'");
                }
                return new NixFile(Path.of(before), Optional.of(attr));
            }
            return new Flake(t);
        }
        if (t.endsWith(".nix") || t.contains("/")) {
            return new NixFile(Path.of(t), Optional.empty());
        }
        if (!ATTR_PATH.matcher(t).matches()) {
            throw new dev.distrolix.InputException("not a package reference: '" + t
                    + "' (expected an attribute such as 'hello', a store path, FILE.nix[#ATTR] or a flake REF#ATTR)");
        }
        return new Attribute(packageSet, t);
    }

    private static void checkAttrPath(String attrPath) {
        if (attrPath == null || !ATTR_PATH.matcher(attrPath).matches()) {
            throw new dev.distrolix.InputException("not an attribute path: '" + attrPath + "'");
        }
    }
}
