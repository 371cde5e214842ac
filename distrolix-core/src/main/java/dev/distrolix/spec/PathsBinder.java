package dev.distrolix.spec;

import dev.distrolix.spec.PathSpec.DirectorySpec;
import dev.distrolix.spec.PathSpec.FileSpec;
import dev.distrolix.spec.PathSpec.SymlinkSpec;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds the {@code paths} list: type inference, modes, owners, file sources and path conflicts. */
final class PathsBinder {
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,5}");
    private static final int MAX_MODE = 07777;
    private static final String NIX_STORE = "/nix/store";

    private final Path baseDir;
    private final Path shownDir;
    private final Accounts accounts;
    private final TemplateScope templates;

    private PathsBinder(Path baseDir, Path shownDir, Accounts accounts, TemplateScope templates) {
        this.baseDir = baseDir;
        this.shownDir = shownDir;
        this.accounts = accounts;
        this.templates = templates;
    }

    /** @param shownDir how messages name {@code baseDir} (null: the working directory) */
    static List<PathSpec> bind(Optional<SpecValue> section, Path baseDir, Path shownDir, Accounts accounts,
            TemplateScope templates) {
        if (section.isEmpty()) {
            return List.of();
        }
        PathsBinder binder = new PathsBinder(baseDir, shownDir, accounts, templates);
        Map<String, Declared> declared = new LinkedHashMap<>(); // by normalised path
        for (SpecValue item : section.get().list()) {
            SpecMap map = item.map().allowOnly(
                    "path", "type", "mode", "owner", "group", "content", "source", "interpolate", "target");
            SpecValue pathValue = map.require("path");
            String path = ImagePaths.checkedAbsolute(pathValue.nonEmptyString(), pathValue, false);
            if (ImagePaths.isAtOrBelow(path, NIX_STORE) || path.equals("/nix")) {
                throw pathValue.error("'" + path + "' is reserved for the Nix store, which only holds the closure");
            }
            Declared previous = declared.get(path);
            if (previous != null) {
                throw pathValue.error("'" + path + "' is already declared at " + previous.item().path()
                        + " (" + previous.item().location().lineColumn() + ")");
            }
            declared.put(path, new Declared(item, pathValue, binder.bindEntry(map, path)));
        }
        rejectPathsBelowNonDirectories(declared.values());
        return declared.values().stream().map(Declared::spec).toList();
    }

    private record Declared(SpecValue item, SpecValue pathValue, PathSpec spec) {
    }

    private PathSpec bindEntry(SpecMap map, String path) {
        String type = type(map);
        int uid = map.get("owner").map(v -> AccountsBinder.userId(v, accounts)).orElse(0);
        int gid = map.get("group").map(v -> AccountsBinder.groupId(v, accounts)).orElse(0);
        switch (type) {
            case "directory" -> {
                rejectKeys(map, type, "content", "source", "interpolate", "target");
                return new DirectorySpec(path, mode(map, DirectorySpec.DEFAULT_MODE), uid, gid, map.location());
            }
            case "symlink" -> {
                rejectKeys(map, type, "mode", "content", "source", "interpolate");
                SpecValue target = map.require("target");
                target.nonEmptyString();
                Template template = templates.template(target);
                String lexical = templates.renderWithStandInPackages(template);
                if (ImagePaths.escapesRoot(path, lexical)) {
                    throw target.error("'" + target.string() + "' climbs above the image root from " + path
                            + " ('..' beyond '/'; image readers refuse such links)");
                }
                return new SymlinkSpec(path, template, uid, gid, map.location());
            }
            default -> {
                rejectKeys(map, type, "target");
                return new FileSpec(path, mode(map, FileSpec.DEFAULT_MODE), uid, gid, content(map), map.location());
            }
        }
    }

    /** The explicit type, or the one the keys imply: content/source make a file, target a symlink. */
    private static String type(SpecMap map) {
        Optional<SpecValue> explicit = map.get("type");
        if (explicit.isPresent()) {
            String type = explicit.get().string();
            if (!List.of("directory", "file", "symlink").contains(type)) {
                throw explicit.get().error("unknown type '" + type + "' (expected directory, file or symlink)");
            }
            return type;
        }
        if (map.has("content") || map.has("source")) {
            return "file";
        }
        return map.has("target") ? "symlink" : "directory";
    }

    private static void rejectKeys(SpecMap map, String type, String... keys) {
        for (String key : keys) {
            if (map.has(key)) {
                throw new SpecException(map.keyLocation(key), map.path().toString(),
                        "'" + key + "' is not allowed for a " + type);
            }
        }
    }

    /**
     * A mode written as octal digits: "0755", "755", "1777", or a YAML/JSON integer whose digits are read as
     * octal (so {@code mode: 755} means 0755, as in chmod; a JSON 493 is refused rather than guessed).
     */
    private static int mode(SpecMap map, int defaultMode) {
        Optional<SpecValue> value = map.get("mode");
        if (value.isEmpty()) {
            return defaultMode;
        }
        String text = value.get().string();
        String digits = text.startsWith("0o") ? text.substring(2) : text; // YAML 1.2 octal spelling
        if (!OCTAL.matcher(digits).matches()) {
            throw value.get().error("\"" + text + "\" is not an octal mode");
        }
        int mode = Integer.parseInt(digits, 8);
        if (mode > MAX_MODE) {
            throw value.get().error("\"" + text + "\" is outside 0..07777");
        }
        return mode;
    }

    private FileContent content(SpecMap map) {
        Optional<SpecValue> content = map.get("content");
        Optional<SpecValue> source = map.get("source");
        if (content.isPresent() && source.isPresent()) {
            throw new SpecException(map.keyLocation("source"), map.path().toString(),
                    "set either 'content' or 'source', not both");
        }
        if (content.isPresent()) {
            if (map.has("interpolate")) {
                throw new SpecException(map.keyLocation("interpolate"), map.path().toString(),
                        "'interpolate' applies to 'source' only (inline content is always interpolated)");
            }
            return new FileContent.Inline(templates.template(content.get()));
        }
        if (source.isEmpty()) {
            throw map.error("a file needs 'content' or 'source'");
        }
        boolean interpolate = map.get("interpolate").map(SpecValue::bool).orElse(false);
        Path file = sourceFile(source.get());
        if (interpolate) {
            // Placeholders are reported in the source file, named as the user named it (relative to the spec).
            Path shownAs = (shownDir == null ? Path.of(source.get().string())
                    : shownDir.resolve(source.get().string())).normalize();
            templates.check(Template.parseFile(readUtf8(file, source.get()), shownAs, source.get().path().toString()));
        }
        return new FileContent.Source(file, interpolate);
    }

    /** A regular file inside the spec's folder, symlinks included: a spec must not pull in ~/.ssh/id_rsa. */
    private Path sourceFile(SpecValue value) {
        String text = value.nonEmptyString();
        if (text.startsWith("/") || Path.of(text).isAbsolute()) {
            throw value.error("'" + text + "' must be relative to the spec's folder");
        }
        if (List.of(text.split("[/\\\\]")).contains("..")) {
            throw value.error("'" + text + "' must not contain '..'");
        }
        Path file = baseDir.resolve(text).normalize();
        if (!Files.exists(file)) {
            throw value.error("'" + text + "' does not exist (looked for " + file + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw value.error("'" + text + "' is not a regular file");
        }
        try {
            if (!file.toRealPath().startsWith(baseDir.toRealPath())) {
                throw value.error("'" + text + "' leads outside the spec's folder through a symlink (to "
                        + file.toRealPath() + ")");
            }
        } catch (IOException e) {
            throw value.error("cannot resolve '" + text + "': " + SpecTreeReader.oneLine(e.toString()));
        }
        return file;
    }

    private static String readUtf8(Path file, SpecValue at) {
        try {
            return Utf8Files.read(file);
        } catch (CharacterCodingException e) {
            throw at.error("'" + at.string() + "' is not UTF-8 text, so it cannot be interpolated");
        } catch (Utf8Files.TooLarge e) {
            throw at.error("'" + at.string() + "' is " + e.getMessage());
        } catch (IOException e) {
            throw at.error("cannot read '" + at.string() + "': " + SpecTreeReader.oneLine(e.toString()));
        }
    }

    /** Nothing can live below a file or a symlink: the layer would have to write through it. */
    private static void rejectPathsBelowNonDirectories(Collection<Declared> declared) {
        // each entry's ancestors looked up by name (a path is at most 4 kB, so a few thousand at most each), where
        // comparing every pair of entries took 13 s for 20,000 paths
        java.util.Map<String, Declared> nonDirectories = new java.util.HashMap<>();
        for (Declared d : declared) {
            if (!(d.spec() instanceof DirectorySpec)) {
                nonDirectories.putIfAbsent(d.spec().path(), d);
            }
        }
        for (Declared entry : declared) {
            String path = entry.spec().path();
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                Declared parent = nonDirectories.get(path.substring(0, slash));
                if (parent != null) {
                    String kind = parent.spec() instanceof FileSpec ? "file" : "symlink";
                    throw entry.pathValue().error("'" + path + "' is below '" + parent.spec().path()
                            + "', which is a " + kind + " (" + parent.item().path() + ")");
                }
            }
        }
    }
}
