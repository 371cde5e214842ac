package dev.distrolix.build;

import dev.distrolix.image.ClosureGraphLabel;

import dev.distrolix.InputException;
import dev.distrolix.cache.LayerCache;
import dev.distrolix.cache.LayerKeys;
import dev.distrolix.image.Artifact;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.AssembledIndex;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.Platform;
import dev.distrolix.layering.Layering;
import dev.distrolix.nix.Closure;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.nix.LocalStoreSource;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.StoreSource;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.LayeringStrategyName;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.tar.LayerWriter;
import dev.distrolix.tar.StoreLayerEntries;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.StagedFile;
import dev.distrolix.transport.Transports;
import dev.distrolix.transport.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
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

    private final Supplier<ImageSpec> specSource;
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
    private List<String> cacheFrom = List.of();
    private BuiltImage.AfterWrite afterWrite;
    private List<String> platforms;

    private ImageBuild(Supplier<ImageSpec> specSource) {
        this.specSource = Objects.requireNonNull(specSource, "specSource");
    }

    /** A build of a spec file, loaded (and checked) when {@link #build()} runs. */
    public static ImageBuild fromSpec(Path specFile) {
        Objects.requireNonNull(specFile, "specFile");
        return new ImageBuild(() -> SpecLoader.load(specFile));
    }

    /**
     * A build of a spec loaded when {@link #build()} runs (so that its errors come first, as a file's do), such
     * as {@code () -> SpecLoader.fromStream(System.in, "<stdin>", dir)}.
     */
    public static ImageBuild fromSpec(Supplier<ImageSpec> loader) {
        return new ImageBuild(loader);
    }

    /** A build of a spec already loaded or built in code ({@link ImageSpec#builder()}). */
    public static ImageBuild of(ImageSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new ImageBuild(() -> spec);
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
     * A step run right after the image is written, before the build's blobs are removed (signing and
     * attesting it); its failure fails the build, the image stays written.
     */
    public ImageBuild afterWrite(BuiltImage.AfterWrite step) {
        this.afterWrite = step;
        return this;
    }

    public BuildResult build() throws IOException {
        dev.distrolix.TempFiles.sweepTempDirectory(); // what killed runs left in the temp folder
        // A registry target is pinged while the spec loads and Nix resolves rather than before
        // (each costs 0.05-0.2 s of a short run). Its failure still ends the build before anything
        // is written, stopping a Nix process still running, and a run with several faults reports
        // the one it did when each step waited for the last: spec, target, registry, options, Nix.
        Background<Void> registryCheck = startRegistryCheck();
        try {
            return build(registryCheck);
        } finally {
            if (registryCheck != null) {
                registryCheck.cancel();
            }
        }
    }

    /** The fail-fast ping of a {@code docker://} target, on its own thread; null for other targets. */
    private Background<Void> startRegistryCheck() {
        if (target == null) {
            return null; // the default is a folder
        }
        ImageReference t;
        try {
            t = ImageReference.parseTarget(target);
        } catch (RuntimeException e) {
            return null; // reported after the spec's own errors, by the same parse in build()
        }
        if (!(t instanceof ImageReference.Registry)) {
            return null;
        }
        return Background.start("distrolix-registry-check", () -> {
            Transports.checkWritable(t, registry);
            return null;
        });
    }

    private BuildResult build(Background<Void> registryCheck) throws IOException {
        ImageSpec spec = specSource.get();
        listener.on(new BuildEvent.SpecLoaded(spec.file().toString(), spec.name()));
        // Parse options first: a bad option must fail before any Nix work or output.
        ImageReference parsedTarget = ImageReference.parseTarget(target != null ? target : "oci:out/" + spec.name());
        if (registryCheck == null) {
            Transports.checkWritable(parsedTarget, registry);
        }
        // the digest file's temp file exists from here on: a place it cannot go fails before any work
        try (StagedFile digestOut = digestFile == null ? null : StagedFile.prepare(digestFile, "--digest-file")) {
            return build(registryCheck, spec, parsedTarget, digestOut);
        }
    }

    private BuildResult build(Background<Void> registryCheck, ImageSpec spec, ImageReference parsedTarget,
                              StagedFile digestOut) throws IOException {
        Compression comp;
        String strategy;
        int layers;
        Instant createdAt;
        try {
            comp = compressionName != null ? parseCompression(compressionName)
                    : compression != null ? compression : spec.compression().orElse(Compression.GZIP);
            strategy = layering != null ? layering : spec.layering().strategy().specName();
            layers = maxLayers != null ? maxLayers : spec.layering().maxLayers();
            Layering.maxStoreLayers(layers);
            Layering.of(strategy);
            createdAt = created != null ? created : createdFromEnvironment();
        } catch (RuntimeException e) {
            if (registryCheck != null) {
                registryCheck.join(); // an unreachable registry was reported before a bad option
            }
            throw e;
        }

        // the registry as a cache: its images' layers are used where the layer cache has none
        try (RegistryLayers.Lazy remote = RegistryLayers.forBuild(parsedTarget, tag != null ? tag : spec.tag().orElse(null),
                spec.name(), cacheDir, cacheFrom, registry, listener)) {
            return build(registryCheck, spec, parsedTarget, digestOut, comp, strategy, layers, createdAt, remote);
        }
    }

    private BuildResult build(Background<Void> registryCheck, ImageSpec spec, ImageReference parsedTarget,
                              StagedFile digestOut, Compression comp, String strategy, int layers, Instant createdAt,
                              java.util.function.Supplier<RegistryLayers> remote) throws IOException {
        List<String> platforms = this.platforms != null ? this.platforms : spec.platforms();
        List<NixInputs> inputs = new ArrayList<>();
        StoreSource storeSource = this.storeSource;
        StoreDirectoryLister lister = this.lister;
        if (!platforms.isEmpty() && locked != null) {
            inputs.addAll(registryCheck == null ? locked.nixInputs(spec, platforms, listener)
                    : whileChecking(registryCheck, () -> locked.nixInputs(spec, platforms, listener)));
            storeSource = locked.source();
            lister = locked.lister();
        } else if (!platforms.isEmpty()) {
            if (registryCheck != null) {
                registryCheck.join();
            }
            inputs.addAll(PlatformBuild.evaluateEach(spec, platforms, nixCli(), includes, listener));
        } else if (locked != null) {
            inputs.add(registryCheck == null ? locked.nixInputs(spec, listener)
                    : whileChecking(registryCheck, () -> locked.nixInputs(spec, listener)));
            storeSource = locked.source();
            lister = locked.lister();
        } else {
            NixCli nixCli = nixCli();
            inputs.add(registryCheck == null ? NixInputs.of(spec, nixCli, includes, listener)
                    : whileChecking(registryCheck, () -> NixInputs.of(spec, nixCli, includes, listener)));
        }

        LayerCache cache = cacheDir != null ? LayerCache.open(cacheDir) : null;
        Path blobs = null;
        try {
            // a registry target: layers not in the cache are uploaded as they are made (with no layer cache, only
            // uploaded: none on disk). Not for a signing build: its SBOM reads the layers from disk beside the push.
            StreamedLayers.Target streamTo = workDir == null && afterWrite == null
                    && parsedTarget.withDefaults(spec.name(), "latest") instanceof ImageReference.Registry r
                    ? new StreamedLayers.Target(r.ref(), registry) : null;
            blobs = cache != null ? cache.blobsDir()
                    : workDir != null ? Files.createDirectories(workDir)
                    : streamTo != null ? dev.distrolix.TempFiles.tempPath("build") // made only if a layer falls back to disk
                    : dev.distrolix.TempFiles.createTempDirectory("build");
            PlatformBuild.Settings settings = new PlatformBuild.Settings(strategy, layers, comp, createdAt, cache, blobs,
                    listener, locked != null, !platforms.isEmpty(), remote, streamTo,
                    cache == null && workDir == null); // a private temp folder, deleted below: outputs may link its files
            List<PlatformBuild.Result> results = PlatformBuild.assembleEach(inputs, storeSource, lister, settings);
            Artifact artifact = platforms.isEmpty() ? results.get(0).image()
                    : AssembledIndex.of(results.stream().map(PlatformBuild.Result::image).toList());
            String finalTag = tag != null ? tag : spec.tag().orElse(artifact.manifestDigest().hex().substring(0, 32));
            ImageReference t = parsedTarget.withDefaults(spec.name(), finalTag);
            if (artifact instanceof AssembledIndex index && !(t instanceof ImageReference.Registry
                    || t instanceof ImageReference.OciLayout || t instanceof ImageReference.OciArchive)) {
                // one image is written: it is what the digest file, -q and the result name
                artifact = dev.distrolix.image.PlatformChoice.pick(index, null, t.toString());
                Artifact picked = artifact;
                results = results.stream().filter(r -> r.image().manifestDigest().equals(picked.manifestDigest())).toList();
                listener.on(new BuildEvent.Notice(t + " holds one image: writing " + results.get(0).system().platform()
                        + " of " + String.join(", ", platforms) + "; an index goes to docker://, oci: or oci-archive:"));
            }
            if (digestOut != null) {
                digestOut.write(artifact.manifestDigest() + "\n");
            }
            if (afterWrite != null) {
                // a signing step starts here; its key is checked before anything is published (for an index too)
                BuiltImage planned = !(artifact instanceof AssembledImage image) || !platforms.isEmpty() ? null
                        : new BuiltImage(spec, image, t, new WriteResult(image.manifestDigest(), t.toString()),
                        results.get(0).closure(), results.get(0).system(), createdAt, lockFile(locked));
                afterWrite.beforeWrite(planned, t);
            }
            WriteResult wr;
            try {
                wr = Transports.write(artifact, t, registry, null,
                        afterWrite != null ? afterWrite::ready : dev.distrolix.registry.ImagePusher.Gate.OPEN);
                if (digestOut != null) {
                    digestOut.commit(); // a rename in a folder checked at the start: the one step after the image's commit
                }
                listener.on(new BuildEvent.ImageWritten(wr.where(), wr.manifestDigest()));
                if (afterWrite != null) {
                    java.util.Optional<Path> lockFile = lockFile(locked);
                    for (PlatformBuild.Result r : results) {
                        WriteResult each = artifact instanceof AssembledIndex
                                ? new WriteResult(r.image().manifestDigest(), wr.where()) : wr;
                        afterWrite.written(new BuiltImage(spec, r.image(), t, each, r.closure(), r.system(), createdAt,
                                lockFile));
                    }
                    if (artifact instanceof AssembledIndex) {
                        afterWrite.writtenIndex(t, wr);
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                if (afterWrite != null) {
                    afterWrite.abandon(); // its work beside the write stops with the build
                }
                throw e;
            }
            List<BuildResult.LayerSummary> summaries = new ArrayList<>();
            List<String> notices = new ArrayList<>();
            List<BuildResult.PlatformImage> images = new ArrayList<>();
            for (PlatformBuild.Result r : results) {
                summaries.addAll(r.layers());
                r.notices().stream().filter(n -> !notices.contains(n)).forEach(notices::add);
                images.add(new BuildResult.PlatformImage(r.system().platform(), r.image().manifestDigest(),
                        r.image().configDigest(), r.layers()));
            }
            return new BuildResult(t.name() != null ? t.name() : spec.name(), t.tag(), wr.where(),
                    artifact.manifestDigest(), results.get(0).image().configDigest(), summaries, notices,
                    platforms.isEmpty() ? List.of() : images);
        } finally {
            if (cache != null) {
                cache.close();
            } else if (workDir == null && blobs != null && Files.exists(blobs)) {
                try {
                    dev.distrolix.FileTrees.deleteTree(blobs);
                } catch (IOException | RuntimeException leftover) {
                    // never hides the build's own error; a folder left behind is swept by a later run (its pid gone)
                }
            }
        }
    }

    private static java.util.Optional<Path> lockFile(LockedInputs locked) {
        return locked == null ? java.util.Optional.empty() : java.util.Optional.of(locked.lockFile());
    }

    /**
     * The Nix the build asks. With a layer cache, the closures it is asked for are recorded beside it and answered
     * from there while every path in one is still the path recorded (a warm build runs no {@code nix path-info}).
     */
    private NixCli nixCli() {
        NixCli n = nix != null ? nix : NixCli.create();
        return cacheDir == null ? n : n.withClosureRecords(dev.distrolix.nix.ClosureRecords.in(
                dev.distrolix.nix.ClosureRecords.beside(cacheDir), dev.distrolix.RecordKey.in(dev.distrolix.RecordKey.defaultFile())));
    }

    /** Nix works on a thread of its own while the registry answers; a registry failure stops it and is the error. */
    private static <T> T whileChecking(Background<Void> registryCheck, Callable<T> nixWork) throws IOException {
        Background<T> work = Background.start("distrolix-nix", nixWork);
        try {
            registryCheck.join();
            return work.join();
        } finally {
            work.cancel();
        }
    }

    private static Compression parseCompression(String compression) {
        try {
            return Compression.parse(compression);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /**
     * The last layer: how many paths the spec's {@code paths:} declares (not the parents made for them,
     * not /etc/passwd and /etc/group, not profile links).
     */
    public static String describeDeclared(int declaredPaths) {
        return "declared files: " + declaredPaths + (declaredPaths == 1 ? " path" : " paths");
    }

    static Instant createdFromEnvironment() {
        return createdFromSourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"));
    }

    /** The latest `created` an image config's RFC 3339 timestamp can hold: 9999-12-31T23:59:59Z. */
    static final long MAX_SOURCE_DATE_EPOCH = 253_402_300_799L;

    /**
     * SOURCE_DATE_EPOCH's value as `created`: unset or empty means {@link #DEFAULT_CREATED}; anything else must
     * be a non-negative whole number of seconds (digits only, as reproducible-builds.org defines it).
     */
    static Instant createdFromSourceDateEpoch(String sourceDateEpoch) {
        if (sourceDateEpoch == null || sourceDateEpoch.isBlank()) {
            return DEFAULT_CREATED;
        }
        if (!sourceDateEpoch.matches("[0-9]{1,12}") || Long.parseLong(sourceDateEpoch) > MAX_SOURCE_DATE_EPOCH) {
            throw new InputException("SOURCE_DATE_EPOCH must be a non-negative whole number of seconds since"
                    + " 1970-01-01 (at most " + MAX_SOURCE_DATE_EPOCH + "), got '" + sourceDateEpoch + "'");
        }
        return Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch));
    }

}
