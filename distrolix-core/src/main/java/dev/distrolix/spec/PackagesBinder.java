package dev.distrolix.spec;

import dev.distrolix.nix.DrvName;

import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.PackageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds the {@code packages} list: string and map forms, default names, unique names. */
final class PackagesBinder {
    private static final String STORE_DIR_PREFIX = StorePath.DEFAULT_STORE_DIR + "/";
    private static final String FLAKE_PREFIX = "flake:";
    /** The most packages a spec may list. */
    static final int MAX_PACKAGES = 1000;
    private static final Pattern ATTR_PATH =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_'-]*(\\.[A-Za-z_][A-Za-z0-9_'-]*)*");
    /** Names end up in {@code ${packages.NAME}}: anything that cannot end or break a placeholder. */
    private static final Pattern PACKAGE_NAME = Pattern.compile("[^\\s${}]+");

    private final Path baseDir;

    private PackagesBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    static List<PackageEntry> bind(Optional<SpecValue> packages, Path baseDir) {
        if (packages.isEmpty()) {
            return List.of();
        }
        List<SpecValue> items = packages.get().list();
        if (items.size() > MAX_PACKAGES) {
            // each is a Nix attribute, path or flake to resolve (one Nix process each where one is missing)
            throw packages.get().error(items.size() + " packages: a spec lists at most " + MAX_PACKAGES
                    + " (the closure brings in what they depend on)");
        }
        PackagesBinder binder = new PackagesBinder(baseDir);
        List<PackageEntry> refs = new ArrayList<>();
        Map<String, SpecValue> firstByName = new HashMap<>();
        for (SpecValue item : items) {
            PackageEntry ref = item.isScalar() ? binder.fromString(item) : binder.fromMap(item.map());
            SpecValue previous = firstByName.putIfAbsent(ref.name(), item);
            if (previous != null) {
                throw new SpecException(ref.location(), item.path().toString(), "duplicate package name '"
                        + ref.name() + "' (also " + previous.path() + " at " + previous.location().lineColumn()
                        + "); set 'name' to tell them apart");
            }
            refs.add(ref);
        }
        return refs;
    }

    /** {@code nginx}, {@code /nix/store/…}, {@code ./x.nix#attr}, {@code nixpkgs#hello}: see the class doc. */
    private PackageEntry fromString(SpecValue item) {
        String text = item.nonEmptyString();
        if (text.startsWith("/nix/")) {
            return storePath(text, Optional.empty(), item);
        }
        if (text.startsWith(FLAKE_PREFIX)) {
            return flake(text.substring(FLAKE_PREFIX.length()), Optional.empty(), item);
        }
        int fragment = text.indexOf(".nix#");
        if (fragment >= 0) {
            return file(text.substring(0, fragment + 4), Optional.of(text.substring(fragment + 5)),
                    Optional.empty(), item);
        }
        if (text.endsWith(".nix")) {
            return file(text, Optional.empty(), Optional.empty(), item);
        }
        if (text.contains(":") || text.contains("#")) {
            return flake(text, Optional.empty(), item);
        }
        if (!ATTR_PATH.matcher(text).matches()) {
            throw item.error("'" + text + "' is not an attribute path, store path, .nix file or flake reference");
        }
        return attr(text, Optional.empty(), item);
    }

    private PackageEntry fromMap(SpecMap map) {
        map.allowOnly("attr", "store-path", "file", "flake", "name");
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("attr", "store-path", "file", "flake")) {
            if (map.has(kind)) {
                kinds.add(kind);
            }
        }
        boolean fileWithAttr = kinds.equals(List.of("attr", "file"));
        if (kinds.isEmpty()) {
            throw map.error("a package needs one of 'attr', 'store-path', 'file' or 'flake'");
        }
        if (kinds.size() > 1 && !fileWithAttr) {
            throw new SpecException(map.keyLocation(kinds.get(1)), map.path().toString(),
                    "'" + kinds.get(0) + "' and '" + kinds.get(1) + "' cannot be combined (only 'file' takes an 'attr')");
        }
        Optional<SpecValue> name = map.get("name");
        if (map.has("file")) {
            SpecValue file = map.require("file");
            Optional<String> attr = map.get("attr").map(a -> checkedAttrPath(a));
            return file(file.nonEmptyString(), attr, name, file);
        }
        SpecValue value = map.require(kinds.get(0));
        return switch (kinds.get(0)) {
            case "attr" -> attr(checkedAttrPath(value), name, value);
            case "store-path" -> storePath(value.nonEmptyString(), name, value);
            default -> flake(value.nonEmptyString(), name, value);
        };
    }

    private static String checkedAttrPath(SpecValue value) {
        String text = value.nonEmptyString();
        if (!ATTR_PATH.matcher(text).matches()) {
            throw value.error("'" + text + "' is not an attribute path");
        }
        return text;
    }

    private PackageEntry attr(String attrPath, Optional<SpecValue> name, SpecValue at) {
        return new PackageEntry(nameOr(name, lastComponent(attrPath), at),
                new PackageRef.Attribute(Optional.empty(), attrPath), at.location());
    }

    private PackageEntry storePath(String text, Optional<SpecValue> name, SpecValue at) {
        if (!text.startsWith(STORE_DIR_PREFIX)) {
            throw at.error("'" + text + "' is not in " + StorePath.DEFAULT_STORE_DIR);
        }
        if (text.indexOf('/', STORE_DIR_PREFIX.length()) >= 0) {
            throw at.error("'" + text + "' is a path inside a store path; name the store path itself");
        }
        StorePath storePath;
        try {
            storePath = StorePath.parse(text);
        } catch (IllegalArgumentException e) {
            throw at.error("'" + text + "' is not a valid store path (" + e.getMessage() + ")");
        }
        return new PackageEntry(nameOr(name, DrvName.parse(storePath.name()).name(), at),
                new PackageRef.StorePathRef(storePath), at.location());
    }

    private PackageEntry file(String file, Optional<String> attr, Optional<SpecValue> name, SpecValue at) {
        if (attr.isPresent() && !ATTR_PATH.matcher(attr.get()).matches()) {
            throw at.error("'" + attr.get() + "' after '#' is not an attribute path");
        }
        Path resolved = baseDir.resolve(file).normalize();
        if (!Files.exists(resolved)) {
            throw at.error(file + " does not exist (looked for " + resolved + ")");
        }
        String unfit = dev.distrolix.nix.NixCli.unfitForNix(resolved);
        if (unfit != null) {
            throw at.error(file + " " + unfit);
        }
        String fileName = resolved.getFileName() == null ? "" : resolved.getFileName().toString();
        // pkgs/foo/default.nix is "foo": the file name alone would make every such package "default".
        if (fileName.equals("default.nix") && resolved.getParent().getFileName() != null) {
            fileName = resolved.getParent().getFileName().toString();
        }
        String defaultName = attr.map(PackagesBinder::lastComponent)
                .orElse(fileName.endsWith(".nix") ? fileName.substring(0, fileName.length() - 4) : fileName);
        return new PackageEntry(nameOr(name, defaultName, at), new PackageRef.NixFile(resolved, attr), at.location());
    }

    private PackageEntry flake(String ref, Optional<SpecValue> name, SpecValue at) {
        if (ref.isEmpty()) {
            throw at.error("empty flake reference");
        }
        int hash = ref.indexOf('#');
        String defaultName = ref;
        if (hash >= 0) {
            String fragment = ref.substring(hash + 1);
            int outputs = fragment.indexOf('^'); // nixpkgs#openssl^dev names the package openssl
            defaultName = lastComponent(outputs >= 0 ? fragment.substring(0, outputs) : fragment);
        }
        try {
            return new PackageEntry(nameOr(name, defaultName, at), new PackageRef.Flake(ref), at.location());
        } catch (dev.distrolix.InputException e) {
            throw at.error(e.getMessage()); // e.g. a reference that starts with '-'
        }
    }

    private static String lastComponent(String attrPath) {
        return attrPath.substring(attrPath.lastIndexOf('.') + 1);
    }

    private static String nameOr(Optional<SpecValue> explicit, String derived, SpecValue at) {
        if (explicit.isPresent()) {
            String name = explicit.get().nonEmptyString();
            if (!PACKAGE_NAME.matcher(name).matches()) {
                throw explicit.get().error("'" + name + "' is not a valid package name (no spaces, '$', '{' or '}')");
            }
            return name;
        }
        if (!PACKAGE_NAME.matcher(derived).matches()) {
            throw at.error("cannot derive a package name from '" + derived + "'; set 'name'");
        }
        return derived;
    }
}
