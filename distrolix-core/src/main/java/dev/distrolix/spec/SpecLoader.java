package dev.distrolix.spec;

import dev.distrolix.blob.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads an image spec from a YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) file, a string or a
 * stream. Both formats share one schema; JSON exists so that Nix users can write the spec with
 * {@code builtins.toJSON}. Where the text came from never reaches the image: only what it says, and the
 * contents of the files it names, do. For a spec built in code see {@link ImageSpec#builder()}.
 *
 * <p>Everything that can be checked without Nix is checked here, and the first problem is thrown as a
 * {@link SpecException} whose message is one line naming the file, line, column and key path.
 *
 * <p>Sections are bound in dependency order, not file order: vars and packages first (templates are checked
 * against them), then accounts (paths and config.user refer to them), then the rest.
 */
public final class SpecLoader {
    static final String[] TOP_LEVEL_KEYS = {"name", "tag", "nixpkgs", "system", "platforms", "vars", "packages", "accounts",
            "paths", "profile", "config", "layering", "compression"};
    /** An image repository path, as the OCI distribution spec defines it. */
    private static final Pattern IMAGE_NAME =
            Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final int MAX_IMAGE_NAME_LENGTH = 255;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern SYSTEM = Pattern.compile("[A-Za-z0-9_]+-[A-Za-z0-9_]+");
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern SEARCH_PATH = Pattern.compile("<([^<>\\s]+)>");
    private static final List<String> COMPRESSIONS = List.of("gzip", "zstd", "none");

    private SpecLoader() {
    }

    /**
     * Reads and validates a spec file; relative paths in it are resolved against the file's folder.
     *
     * @throws SpecException for the first problem found, with a one-line message
     */
    public static ImageSpec load(Path file) {
        return load(file, null);
    }

    /** Same as {@link #load(Path)}. */
    public static ImageSpec fromFile(Path file) {
        return load(file, null);
    }

    /**
     * Reads and validates a spec file, resolving its relative paths against {@code baseDir} (the file's
     * folder when null).
     */
    public static ImageSpec load(Path file, Path baseDir) {
        return load(file, baseDir, SpecTreeRecords.none());
    }

    /** Same as {@link #load(Path, Path)}, the document's tree taken from {@code records} where they hold its parse. */
    public static ImageSpec load(Path file, Path baseDir, SpecTreeRecords records) {
        SpecNode root = SpecTreeReader.read(file, records);
        Path base = baseDir != null ? baseDir.toAbsolutePath().normalize()
                : file.toAbsolutePath().normalize().getParent();
        return bind(root, file, base, baseDir != null ? base : file.getParent());
    }

    /**
     * The spec file's bytes as {@link #load} reads them (what a lock records the hash of): a file that is not a regular
     * one or is larger than a spec may be is refused, unread, as load refuses it.
     */
    public static byte[] bytesOf(Path file) {
        return SpecTreeReader.bytesOf(file);
    }

    /**
     * Reads and validates a spec given as text.
     *
     * @param name    what messages call it ({@code <stdin>}, {@code image.json}); a name ending in .yaml, .yml
     *                or .json sets the format, any other is read as JSON when it starts with <code>{"</code>,
     *                else as YAML
     * @param baseDir the folder relative paths ({@code source:}, {@code .nix} files) are resolved against
     */
    public static ImageSpec fromString(String text, String name, Path baseDir) {
        return fromBytes(text.getBytes(StandardCharsets.UTF_8), name, baseDir);
    }

    /** Like {@link #fromString} for a stream (read to its end, at most 4 MiB; not closed). */
    public static ImageSpec fromStream(InputStream in, String name, Path baseDir) {
        Path shownAs = Path.of(name);
        byte[] bytes;
        try {
            bytes = SpecTreeReader.readBounded(in, shownAs);
        } catch (IOException e) {
            throw SpecException.inFile(shownAs, "cannot read: " + SpecTreeReader.readable(e), e);
        }
        return fromBytes(bytes, name, baseDir);
    }

    private static ImageSpec fromBytes(byte[] bytes, String name, Path baseDir) {
        Objects.requireNonNull(baseDir, "baseDir");
        Path shownAs = Path.of(name);
        SpecTreeReader.Format format = SpecTreeReader.formatOfName(shownAs);
        SpecNode root = SpecTreeReader.read(bytes, shownAs,
                format != null ? format : SpecTreeReader.sniff(bytes));
        Path base = baseDir.toAbsolutePath().normalize();
        return bind(root, shownAs, base, base);
    }

    /**
     * Binds a document tree.
     *
     * @param file     what messages call the spec
     * @param baseDir  absolute; relative paths in the spec are resolved against it
     * @param shownDir how messages name that folder (as the user gave it; null for the working directory)
     */
    static ImageSpec bind(SpecNode root, Path file, Path baseDir, Path shownDir) {
        SpecMap top = new SpecValue(root, KeyPath.ROOT).map().allowOnly(TOP_LEVEL_KEYS);

        String name = imageName(top.require("name"));
        Optional<String> tag = top.get("tag").map(SpecLoader::tag);
        Optional<Nixpkgs> nixpkgs = top.get("nixpkgs").map(v -> nixpkgs(v, baseDir));
        Optional<String> system = top.get("system").map(SpecLoader::system);
        List<String> platforms = top.get("platforms").map(SpecLoader::platforms).orElse(List.of());
        if (system.isPresent() && !platforms.isEmpty()) {
            throw top.get("platforms").get().error("give either system (one image) or platforms (an index), not both");
        }
        Map<String, String> vars = vars(top.get("vars"));
        List<PackageEntry> packages = PackagesBinder.bind(top.get("packages"), baseDir);
        List<String> packageNames = packages.stream().map(PackageEntry::name).toList();
        TemplateScope templates = new TemplateScope(vars, packageNames);
        Accounts accounts = AccountsBinder.bind(top.get("accounts"));
        List<PathSpec> paths = PathsBinder.bind(top.get("paths"), baseDir, shownDir, accounts, templates);
        Optional<ProfileSpec> profile = top.get("profile").map(v -> profile(v, packageNames));
        ConfigSpec config = ConfigBinder.bind(top.get("config"), accounts, templates);
        LayeringSpec layering = top.get("layering").map(SpecLoader::layering).orElse(LayeringSpec.DEFAULT);
        Optional<Compression> compression = top.get("compression").map(SpecLoader::compression);
        return new ImageSpec(file, baseDir, name, tag, nixpkgs, system, platforms, vars, packages, accounts, paths,
                profile, config, layering, compression);
    }

    private static String imageName(SpecValue value) {
        String name = value.nonEmptyString();
        if (name.length() > MAX_IMAGE_NAME_LENGTH || !IMAGE_NAME.matcher(name).matches()) {
            throw value.error("'" + name + "' is not a valid image name (lower-case letters and digits,"
                    + " separated by '.', '_', '__', '-' or '/')");
        }
        return name;
    }

    private static String tag(SpecValue value) {
        String tag = value.nonEmptyString();
        if (!TAG.matcher(tag).matches()) {
            throw value.error("'" + tag + "' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-], at most 128)");
        }
        return tag;
    }

    /** {@code <name>} is a NIX_PATH entry; anything else a folder, which must exist. */
    private static Nixpkgs nixpkgs(SpecValue value, Path baseDir) {
        String text = value.nonEmptyString();
        var searchPath = SEARCH_PATH.matcher(text);
        if (searchPath.matches()) {
            return new Nixpkgs.SearchPath(searchPath.group(1), value.location());
        }
        Path path = baseDir.resolve(text).normalize();
        if (!Files.exists(path)) {
            throw value.error("'" + text + "' does not exist (looked for " + path
                    + "; for a NIX_PATH entry write '<" + text + ">')");
        }
        String unfit = dev.distrolix.nix.NixCli.unfitForNix(path);
        if (unfit != null) {
            throw value.error("'" + text + "' " + unfit);
        }
        return new Nixpkgs.LocalPath(path, value.location());
    }

    /** {@code [linux/amd64, linux/arm64]}: each a platform some Nix system builds, none twice. */
    private static List<String> platforms(SpecValue value) {
        List<String> out = new ArrayList<>();
        for (SpecValue v : value.listOrSingle()) {
            String p = v.nonEmptyString();
            try {
                dev.distrolix.nix.NixSystem.ofPlatform(p);
            } catch (dev.distrolix.InputException e) {
                throw v.error(e.getMessage());
            }
            String system = dev.distrolix.nix.NixSystem.ofPlatform(p).nixSystem();
            if (out.stream().anyMatch(o -> dev.distrolix.nix.NixSystem.ofPlatform(o).nixSystem().equals(system))) {
                throw v.error("platform '" + p + "' is listed twice");
            }
            out.add(p);
        }
        if (out.isEmpty()) {
            throw value.error("list at least one platform, e.g. [linux/amd64, linux/arm64]");
        }
        return out;
    }

    private static String system(SpecValue value) {
        String system = value.nonEmptyString();
        if (!SYSTEM.matcher(system).matches()) {
            throw value.error("'" + system + "' is not a Nix system such as x86_64-linux");
        }
        return system;
    }

    /** Scalars only; numbers and booleans become their source text. Values are literal, never interpolated. */
    private static Map<String, String> vars(Optional<SpecValue> section) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (SpecMap.KeyedValue entry : section.map(v -> v.map().entries()).orElse(List.of())) {
            if (!VAR_NAME.matcher(entry.key()).matches()) {
                throw new SpecException(entry.keyLocation(), entry.value().path().toString(),
                        "'" + entry.key() + "' is not a valid variable name ([A-Za-z_][A-Za-z0-9_-]*)");
            }
            SpecValue value = entry.value();
            if (!value.isScalar()) {
                throw value.error("expected a string, number or boolean, found " + value.node().describe());
            }
            vars.put(entry.key(), value.string());
        }
        return vars;
    }

    private static ProfileSpec profile(SpecValue value, List<String> packageNames) {
        SpecMap map = value.map().allowOnly("prefix", "packages");
        String prefix = map.get("prefix").map(v -> ImagePaths.checkedAbsolute(v.nonEmptyString(), v, true))
                .orElse(ProfileSpec.DEFAULT_PREFIX);
        Optional<SpecValue> listed = map.get("packages");
        if (listed.isEmpty()) {
            return new ProfileSpec(prefix, packageNames);
        }
        List<String> names = new ArrayList<>();
        for (SpecValue item : listed.get().list()) {
            String name = item.nonEmptyString();
            if (!packageNames.contains(name)) {
                String hint = Suggestions.closest(name, packageNames).map(s -> " (did you mean '" + s + "'?)")
                        .orElse(" (declared: " + String.join(", ", packageNames) + ")");
                throw item.error("unknown package '" + name + "'" + hint);
            }
            if (names.contains(name)) {
                throw item.error("package '" + name + "' is listed twice");
            }
            names.add(name);
        }
        return new ProfileSpec(prefix, names);
    }

    private static LayeringSpec layering(SpecValue value) {
        SpecMap map = value.map().allowOnly("strategy", "max-layers");
        LayeringStrategyName strategy = LayeringStrategyName.POPULARITY;
        Optional<SpecValue> strategyValue = map.get("strategy");
        if (strategyValue.isPresent()) {
            String text = strategyValue.get().string();
            strategy = Arrays.stream(LayeringStrategyName.values()).filter(s -> s.specName().equals(text))
                    .findFirst().orElseThrow(() -> strategyValue.get().error("unknown strategy '" + text
                            + "' (expected popularity, size, per-path or single)"));
        }
        int maxLayers = map.get("max-layers")
                .map(v -> (int) v.integer(LayeringSpec.MIN_LAYERS, LayeringSpec.MAX_LAYERS_LIMIT))
                .orElse(LayeringSpec.DEFAULT_MAX_LAYERS);
        return new LayeringSpec(strategy, maxLayers);
    }

    private static Compression compression(SpecValue value) {
        String compression = value.string();
        if (!COMPRESSIONS.contains(compression)) {
            throw value.error("unknown compression '" + compression + "' (expected gzip, zstd or none)");
        }
        return Compression.parse(compression);
    }
}
