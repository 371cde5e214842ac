package dev.distrolix.build;

import dev.distrolix.InputException;
import dev.distrolix.cache.LayerCache;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.nix.LocalStoreSource;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.nix.StoreSource;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.LayeringStrategyName;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.spec.SpecTreeRecords;
import dev.distrolix.blob.Compression;
import dev.distrolix.transport.ImageReference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds one image from a spec: the library entry point the CLI is a thin layer over.
 *
 * <pre>{@code
 * BuildResult r = ImageBuild.fromSpec(Path.of("image.yaml"))   // or ImageBuild.of(ImageSpec.builder()…build())
 *         .target("oci:out/nginx")
 *         .includes(List.of("nixpkgs=/src/nixpkgs"))
 *         .build();
 * }</pre>
 *
 * Options given here override the spec's; everything else comes from the spec. The image depends only on the
 * spec's content, the files and packages it names and {@code created}: never on the spec's file name or
 * folder, the clock or the machine.
 */
public final class ImageBuild {
    /** The fallback for `created` when SOURCE_DATE_EPOCH is unset, as dockerTools does. */
    public static final Instant DEFAULT_CREATED = Instant.ofEpochSecond(1);

    private final Function<SpecTreeRecords, ImageSpec> specSource;
    private String target;
    private String tag;
    private String layering;
    private Integer maxLayers;
    private Compression compression;
    private String compressionName; // the CLI's text, parsed with the other options in build()
    private List<String> includes = List.of();
    private BuildListener listener = BuildListener.NONE;
    private Instant created;
    private NixCli nix;
    private StoreSource storeSource = new LocalStoreSource();
    private StoreDirectoryLister lister = StoreDirectoryLister.local(Path.of("/"));
    private Path workDir;
    private Path cacheDir = LayerCache.defaultDir();
    private RegistrySettings registry = RegistrySettings.defaults();
    private Path digestFile;
    private LockedInputs locked;
    private Path lockSpec;
    private LockedInputs.LockUse lockUse;
    private List<String> cacheFrom = List.of();
    private BuiltImage.AfterWrite afterWrite;
    private List<String> platforms;

    /** The spec's file, where the build knows it (its evaluations are recorded by it); or null. */
    private Path specFile;

    private ImageBuild(Function<SpecTreeRecords, ImageSpec> specSource) {
        this.specSource = Objects.requireNonNull(specSource, "specSource");
    }

    /** A build of a spec file, loaded (and checked) when {@link #build()} runs. */
    public static ImageBuild fromSpec(Path specFile) {
        return fromSpec(specFile, null);
    }

    /**
     * A build of a spec file whose relative paths are resolved against {@code baseDir} (null: the file's folder),
     * loaded (and checked) when {@link #build()} runs; with a layer cache, the document's parse is kept beside it
     * ({@link SpecTreeRecords}).
     */
    public static ImageBuild fromSpec(Path specFile, Path baseDir) {
        Objects.requireNonNull(specFile, "specFile");
        ImageBuild b = new ImageBuild(records -> SpecLoader.load(specFile, baseDir, records));
        b.specFile = specFile;
        return b;
    }

    /**
     * A build of a spec loaded when {@link #build()} runs (so that its errors come first, as a file's do), such
     * as {@code () -> SpecLoader.fromStream(System.in, "<stdin>", dir)}.
     */
    public static ImageBuild fromSpec(Supplier<ImageSpec> loader) {
        Objects.requireNonNull(loader, "loader");
        return new ImageBuild(records -> loader.get());
    }

    /** A build of a spec already loaded or built in code ({@link ImageSpec#builder()}). */
    public static ImageBuild of(ImageSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new ImageBuild(records -> spec);
    }

    /** Where to write (skopeo-style, see {@link ImageReference#parse}); default {@code oci:out/NAME}. */
    public ImageBuild target(String target) {
        this.target = target;
        return this;
    }

    /** Where to write, typed: {@code target(new ImageReference.OciLayout(dir, "1", null))}. */
    public ImageBuild target(ImageReference target) {
        this.target = Objects.requireNonNull(target, "target").toString();
        return this;
    }

    public ImageBuild tag(String tag) {
        this.tag = tag;
        return this;
    }

    /** popularity, size, per-path or single (as the CLI's --layering takes it). */
    public ImageBuild layering(String strategy) {
        this.layering = strategy;
        return this;
    }

    public ImageBuild layering(LayeringStrategyName strategy) {
        this.layering = strategy.specName();
        return this;
    }

    public ImageBuild maxLayers(int maxLayers) {
        this.maxLayers = maxLayers;
        return this;
    }

    /** gzip, zstd or none, any case; anything else is an IllegalArgumentException. */
    public ImageBuild compression(String compression) {
        this.compressionName = compression;
        this.compression = null;
        return this;
    }

    public ImageBuild compression(Compression compression) {
        this.compression = compression;
        this.compressionName = null;
        return this;
    }

    /**
     * The platforms to build ({@code linux/amd64}, {@code linux/arm64}): an image index, each image from the
     * packages evaluated for its system. Replaces the spec's {@code platforms}; null: the spec's.
     */
    public ImageBuild platforms(List<String> platforms) {
        this.platforms = platforms == null ? null : List.copyOf(platforms);
        if (this.platforms != null && this.platforms.isEmpty()) {
            // "--platform ,,," splits into nothing: said, not taken for "the spec's platforms"
            throw new InputException("--platform: no platform given (expected OS/ARCH[/VARIANT][,…], e.g. linux/arm64)");
        }
        if (this.platforms != null) {
            java.util.Set<String> systems = new java.util.HashSet<>();
            for (String p : this.platforms) {
                if (!systems.add(NixSystem.ofPlatform(p).nixSystem())) {
                    throw new InputException("--platform: " + p + " is listed twice (as another name of the same platform)");
                }
            }
        }
        return this;
    }

    /** Nix search-path entries, as nix-build's {@code -I} takes them. */
    public ImageBuild includes(List<String> includes) {
        this.includes = List.copyOf(includes);
        return this;
    }

    public ImageBuild listener(BuildListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /** The image's `created`; default SOURCE_DATE_EPOCH from the environment, else 1970-01-01T00:00:01Z. */
    public ImageBuild created(Instant created) {
        this.created = created;
        return this;
    }

    public ImageBuild nix(NixCli nix) {
        this.nix = nix;
        return this;
    }

    /** Where layer blobs are written before they reach the target; default a temporary folder, removed after. */
    public ImageBuild workDir(Path workDir) {
        this.workDir = workDir;
        return this;
    }

    /** The layer cache folder; null disables the cache (every layer is built). Default: {@link LayerCache#defaultDir()}. */
    public ImageBuild cacheDir(Path cacheDir) {
        this.cacheDir = cacheDir;
        return this;
    }

    /**
     * Images in registries ({@code docker://…}) whose layers the build takes instead of making them when their
     * cache keys match (besides the image already under a registry target's tag, always consulted). None are
     * used without a layer cache ({@link #cacheDir} null: every layer is made).
     */
    public ImageBuild cacheFrom(List<String> refs) {
        this.cacheFrom = List.copyOf(refs);
        return this;
    }

    /** Credentials, TLS rules, retries and push progress for {@code docker://} targets. */
    public ImageBuild registry(RegistrySettings registry) {
        this.registry = Objects.requireNonNull(registry);
        return this;
    }

    /**
     * Also write the manifest digest (and a newline) to {@code file}, committed with the image: checked
     * writable before the build, filled before the image is committed and renamed into place right
     * after, so a failure leaves both the previous image and the previous file as they were.
     */
    public ImageBuild digestFile(Path file) {
        this.digestFile = file;
        return this;
    }

    /**
     * Builds from a lock ({@code build --locked}): packages, closure and system come from it and store paths
     * from its substituters; no Nix program runs and /nix/store is not read. The caller closes it.
     */
    public ImageBuild locked(LockedInputs locked) {
        this.locked = locked;
        return this;
    }

    /**
     * Uses the lock beside {@code specFile} (null: the spec comes from stdin and has none) as {@code use} says:
     * read when the build starts, beside its registry's first answer, and closed when it ends. A lock that does
     * not pin the {@linkplain #platforms platforms} asked for is an error with {@code --locked}, else not used.
     */
    public ImageBuild lock(Path specFile, LockedInputs.LockUse use) {
        this.lockSpec = specFile;
        this.lockUse = Objects.requireNonNull(use, "use");
        return this;
    }

    /**
     * A step run right after the image is written, before the build's blobs are removed (signing and
     * attesting it); its failure fails the build, the image stays written.
     */
    public ImageBuild afterWrite(BuiltImage.AfterWrite step) {
        this.afterWrite = step;
        return this;
    }

    public BuildResult build() throws IOException {
        return new BuildRun(new BuildRun.Options(specSource, target, tag, layering, maxLayers, compression,
                compressionName, includes, listener, created, nix, storeSource, lister, workDir, cacheDir, registry,
                digestFile, locked, lockSpec, lockUse, cacheFrom, afterWrite, platforms,
                specFile != null ? specFile : lockSpec)).build();
    }

    /**
     * The last layer: how many paths the spec's {@code paths:} declares (not the parents made for them,
     * not /etc/passwd and /etc/group, not profile links).
     */
    public static String describeDeclared(int declaredPaths) {
        return "declared files: " + declaredPaths + (declaredPaths == 1 ? " path" : " paths");
    }
}
