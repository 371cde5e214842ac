package dev.distrolix.spec;

import dev.distrolix.blob.Compression;
import dev.distrolix.spec.PathSpec.FileSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An {@link ImageSpec} written in Java, key for key what a spec file says:
 *
 * <pre>{@code
 * ImageSpec spec = ImageSpec.builder()
 *         .name("nginx")
 *         .var("port", "80")
 *         .packages("nginx")
 *         .group("nginx", 31337)
 *         .user("nginx", 31337, u -> u.group("nginx").home("/var/empty"))
 *         .profile("/usr/local")
 *         .source("/etc/nginx/nginx.conf", "nginx.conf", p -> p.interpolate())
 *         .directory("/tmp", p -> p.mode(01777))
 *         .config(c -> c.cmd("/usr/local/bin/nginx").exposedPorts("${port}/tcp"))
 *         .baseDir(Path.of("examples/nginx"))
 *         .build();
 * }</pre>
 *
 * {@link #build()} checks the result with the same rules, and the same messages, as a spec file; they name
 * {@code ImageSpec.builder()} and the key path ({@code ImageSpec.builder(): paths[2].mode: "9" is not an
 * octal mode}). Strings are templates as in a spec file ({@code ${port}}, {@code ${packages.nginx}},
 * {@code $${} for a literal {@code ${}); {@link #file(String, byte[])} content is not. Equal specs give equal
 * images, whichever way they were written.
 */
public final class ImageSpecBuilder {
    /** What messages call a spec built in code. */
    public static final Path NAME = Path.of("ImageSpec.builder()");

    private final Map<String, SpecNode> top = new LinkedHashMap<>();
    private final Map<String, SpecNode> vars = new LinkedHashMap<>();
    private final List<SpecNode> packages = new ArrayList<>();
    private final List<SpecNode> groups = new ArrayList<>();
    private final List<SpecNode> users = new ArrayList<>();
    private final List<SpecNode> paths = new ArrayList<>();
    private final Map<Integer, byte[]> bytesByPathIndex = new LinkedHashMap<>();
    private Map<String, SpecNode> profile;
    private ConfigOptions config;
    private Path baseDir;

    ImageSpecBuilder() {
    }

    /** The image repository name (required). */
    public ImageSpecBuilder name(String name) {
        top.put("name", SpecNodes.str(name));
        return this;
    }

    /** The tag; without one it is derived from the image content. */
    public ImageSpecBuilder tag(String tag) {
        top.put("tag", SpecNodes.str(tag));
        return this;
    }

    /** A nixpkgs folder (relative to {@link #baseDir}) or a NIX_PATH entry such as {@code <nixpkgs>}. */
    public ImageSpecBuilder nixpkgs(String nixpkgs) {
        top.put("nixpkgs", SpecNodes.str(nixpkgs));
        return this;
    }

    public ImageSpecBuilder nixpkgs(Path nixpkgs) {
        return nixpkgs(nixpkgs.toString());
    }

    /** The Nix system, such as {@code x86_64-linux}; default the one Nix builds for. */
    public ImageSpecBuilder system(String system) {
        top.put("system", SpecNodes.str(system));
        return this;
    }

    /** The platforms of a multi-platform build ({@code linux/amd64}, {@code linux/arm64}): an image index. */
    public ImageSpecBuilder platforms(String... platforms) {
        top.put("platforms", SpecNodes.list(java.util.Arrays.stream(platforms).map(SpecNodes::str).toList()));
        return this;
    }

    public ImageSpecBuilder var(String name, String value) {
        vars.put(Objects.requireNonNull(name, "name"), SpecNodes.str(value));
        return this;
    }

    /** Adds the vars in the map's order. */
    public ImageSpecBuilder vars(Map<String, String> vars) {
        vars.forEach(this::var);
        return this;
    }

    /** Packages in the spec's text syntax: {@code nginx}, {@code /nix/store/…}, {@code ./app.nix#x}, {@code flake:REF}. */
    public ImageSpecBuilder packages(String... refs) {
        for (String ref : refs) {
            packages.add(SpecNodes.str(ref));
        }
        return this;
    }

    /** Packages as the Nix layer names them; their spec names are derived as for the text syntax. */
    public ImageSpecBuilder packages(dev.distrolix.nix.PackageRef... refs) {
        for (dev.distrolix.nix.PackageRef ref : refs) {
            packages.add(packageNode(null, ref));
        }
        return this;
    }

    /** A package under a name of one's choosing ({@code ${packages.NAME}}). */
    public ImageSpecBuilder pkg(String name, dev.distrolix.nix.PackageRef ref) {
        packages.add(packageNode(Objects.requireNonNull(name, "name"), ref));
        return this;
    }

    public ImageSpecBuilder group(String name, int gid) {
        Map<String, SpecNode> m = new LinkedHashMap<>();
        m.put("name", SpecNodes.str(name));
        m.put("gid", SpecNodes.integer(gid));
        groups.add(SpecNodes.map(m));
        return this;
    }

    public ImageSpecBuilder user(String name, int uid) {
        return user(name, uid, u -> { });
    }

    /** A user; without {@code group} or {@code gid} its primary group is the group of its own name. */
    public ImageSpecBuilder user(String name, int uid, Consumer<UserOptions> options) {
        UserOptions u = new UserOptions();
        u.keys.put("name", SpecNodes.str(name));
        u.keys.put("uid", SpecNodes.integer(uid));
        options.accept(u);
        users.add(SpecNodes.map(u.keys));
        return this;
    }

    /** Links every package's top-level folders into {@code prefix} ("/" for dockerTools' layout). */
    public ImageSpecBuilder profile(String prefix) {
        profile = new LinkedHashMap<>();
        profile.put("prefix", SpecNodes.str(prefix));
        return this;
    }

    /** Links these packages' top-level folders into {@code prefix}. */
    public ImageSpecBuilder profile(String prefix, String... packageNames) {
        profile(prefix);
        profile.put("packages", SpecNodes.list(Arrays.stream(packageNames).map(SpecNodes::str).toList()));
        return this;
    }

    /** A file with this text, a template as a spec's {@code content:} is. */
    public ImageSpecBuilder file(String path, String content) {
        return file(path, content, p -> { });
    }

    public ImageSpecBuilder file(String path, String content, Consumer<PathOptions> options) {
        return addPath(path, "content", SpecNodes.str(content), options);
    }

    /** A file with these bytes, written as they are. */
    public ImageSpecBuilder file(String path, byte[] content) {
        return file(path, content, p -> { });
    }

    public ImageSpecBuilder file(String path, byte[] content, Consumer<PathOptions> options) {
        bytesByPathIndex.put(paths.size(), content.clone());
        return addPath(path, "content", SpecNodes.str(""), options);
    }

    /** A file copied from {@code source}, a path relative to {@link #baseDir} (and inside it). */
    public ImageSpecBuilder source(String path, String source) {
        return source(path, source, p -> { });
    }

    public ImageSpecBuilder source(String path, String source, Consumer<PathOptions> options) {
        return addPath(path, "source", SpecNodes.str(source), options);
    }

    public ImageSpecBuilder source(String path, Path source, Consumer<PathOptions> options) {
        return source(path, source.toString(), options);
    }

    public ImageSpecBuilder directory(String path) {
        return directory(path, p -> { });
    }

    public ImageSpecBuilder directory(String path, Consumer<PathOptions> options) {
        return addPath(path, "type", SpecNodes.str("directory"), options);
    }

    public ImageSpecBuilder symlink(String path, String target) {
        return symlink(path, target, p -> { });
    }

    public ImageSpecBuilder symlink(String path, String target, Consumer<PathOptions> options) {
        return addPath(path, "target", SpecNodes.str(target), options);
    }

    /** The OCI config: cmd, entrypoint, env, working dir, user, ports, volumes, labels, stop signal. */
    public ImageSpecBuilder config(Consumer<ConfigOptions> options) {
        if (config == null) {
            config = new ConfigOptions();
        }
        options.accept(config);
        return this;
    }

    public ImageSpecBuilder layering(LayeringSpec layering) {
        return layering(layering.strategy(), layering.maxLayers());
    }

    public ImageSpecBuilder layering(LayeringStrategyName strategy, int maxLayers) {
        Map<String, SpecNode> m = new LinkedHashMap<>();
        m.put("strategy", SpecNodes.str(strategy.specName()));
        m.put("max-layers", SpecNodes.integer(maxLayers));
        top.put("layering", SpecNodes.map(m));
        return this;
    }

    public ImageSpecBuilder compression(Compression compression) {
        top.put("compression", SpecNodes.str(compression.name().toLowerCase(java.util.Locale.ROOT)));
        return this;
    }

    /** The folder {@code source:} files and relative {@code .nix} files are found in; default the working directory. */
    public ImageSpecBuilder baseDir(Path baseDir) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
        return this;
    }

    /**
     * The checked spec.
     *
     * @throws SpecException for the first problem, as for a spec file
     */
    public ImageSpec build() {
        Map<String, SpecNode> doc = new LinkedHashMap<>();
        for (String key : SpecLoader.TOP_LEVEL_KEYS) {
            SpecNode node = switch (key) {
                case "vars" -> vars.isEmpty() ? null : SpecNodes.map(vars);
                case "packages" -> packages.isEmpty() ? null : SpecNodes.list(packages);
                case "accounts" -> accounts();
                case "paths" -> paths.isEmpty() ? null : SpecNodes.list(paths);
                case "profile" -> profile == null ? null : SpecNodes.map(profile);
                case "config" -> config == null ? null : SpecNodes.map(config.keys);
                default -> top.get(key);
            };
            if (node != null) {
                doc.put(key, node);
            }
        }
        Path base = (baseDir != null ? baseDir : Path.of("")).toAbsolutePath().normalize();
        ImageSpec spec = SpecLoader.bind(SpecNodes.map(doc), NAME, base, base);
        if (bytesByPathIndex.isEmpty()) {
            return spec;
        }
        List<PathSpec> withBytes = new ArrayList<>(spec.paths());
        bytesByPathIndex.forEach((i, bytes) -> {
            FileSpec f = (FileSpec) withBytes.get(i);
            withBytes.set(i, new FileSpec(f.path(), f.mode(), f.uid(), f.gid(), new FileContent.Bytes(bytes),
                    f.location()));
        });
        return new ImageSpec(spec.file(), spec.baseDir(), spec.name(), spec.tag(), spec.nixpkgs(), spec.system(),
                spec.platforms(), spec.vars(), spec.packages(), spec.accounts(), withBytes, spec.profile(), spec.config(),
                spec.layering(), spec.compression());
    }

    private SpecNode accounts() {
        if (groups.isEmpty() && users.isEmpty()) {
            return null;
        }
        Map<String, SpecNode> m = new LinkedHashMap<>();
        m.put("groups", SpecNodes.list(groups));
        m.put("users", SpecNodes.list(users));
        return SpecNodes.map(m);
    }

    private ImageSpecBuilder addPath(String path, String key, SpecNode value, Consumer<PathOptions> options) {
        PathOptions p = new PathOptions();
        p.keys.put("path", SpecNodes.str(path));
        p.keys.put(key, value);
        options.accept(p);
        paths.add(SpecNodes.map(p.keys));
        return this;
    }

    private static SpecNode packageNode(String name, dev.distrolix.nix.PackageRef ref) {
        Map<String, SpecNode> m = new LinkedHashMap<>();
        if (ref instanceof dev.distrolix.nix.PackageRef.StorePathRef s) {
            m.put("store-path", SpecNodes.str(s.path().fullPath()));
        } else if (ref instanceof dev.distrolix.nix.PackageRef.Attribute a) {
            // an attribute of a given package set is an attribute of that Nix file or folder
            a.packageSet().ifPresent(set -> m.put("file", SpecNodes.str(set.toString())));
            m.put("attr", SpecNodes.str(a.attrPath()));
        } else if (ref instanceof dev.distrolix.nix.PackageRef.NixFile f) {
            m.put("file", SpecNodes.str(f.file().toString()));
            f.attrPath().ifPresent(attr -> m.put("attr", SpecNodes.str(attr)));
        } else {
            m.put("flake", SpecNodes.str(((dev.distrolix.nix.PackageRef.Flake) ref).ref()));
        }
        if (name != null) {
            m.put("name", SpecNodes.str(name));
        }
        return SpecNodes.map(m);
    }
}
