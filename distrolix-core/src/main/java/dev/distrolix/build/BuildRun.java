package dev.distrolix.build;

import dev.distrolix.Background;
import dev.distrolix.InputException;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.RecordKey;
import dev.distrolix.cache.LayerCache;
import dev.distrolix.image.Artifact;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.AssembledIndex;
import dev.distrolix.layering.Layering;
import dev.distrolix.nix.EarlyEvaluations;
import dev.distrolix.nix.EvaluationRecords;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.StoreSource;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.SpecTreeRecords;
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
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One run of an {@link ImageBuild}, from the options it had when {@link ImageBuild#build()} was called: spec,
 * target and options checked, Nix resolved beside the registry's answer, layers taken or made, the image written
 * (and handed to an after-write step such as signing). {@link ImageBuild} is the typed options API over it.
 */
final class BuildRun {
    /** {@link ImageBuild}'s options, as given (null: not given). */
    record Options(Function<SpecTreeRecords, ImageSpec> specSource, String target, String tag, String layering, Integer maxLayers,
                   Compression compression, String compressionName, List<String> includes, BuildListener listener,
                   Instant created, NixCli nix, StoreSource storeSource, StoreDirectoryLister lister, Path workDir,
                   Path cacheDir, RegistrySettings registry, Path digestFile, LockedInputs locked, Path lockSpec,
                   LockedInputs.LockUse lockUse, List<String> cacheFrom, BuiltImage.AfterWrite afterWrite, List<String> platforms,
                   Path specFile) {
    }

    private final Options o;
    /** The lock the build is pinned by: the one given, or the one {@code lockUse} found beside the spec; or null. */
    private LockedInputs locked;
    /** A fresh runner's registry read, started before the spec was read; or null. */
    private RegistryLayers.Lazy earlyRemote;
    /** The evaluations the last build of this spec ran, started before the spec was read. */
    private EarlyEvaluations earlyEvaluations = EarlyEvaluations.none();
    /** The Nix this run asks (made on first use). */
    private NixCli nix;

    BuildRun(Options o) {
        this.o = o;
        this.locked = o.locked();
    }

    BuildResult build() throws IOException {
        // Nix evaluates (~30 ms) while the JVM reads the spec and the lock, where the last build of the same bytes says how
        earlyEvaluations = startEarlyEvaluations();
        try {
            return buildAfterEarlyStart();
        } finally {
            earlyEvaluations.close(); // one not taken ends on its own (a killed Nix can leave its database's log)
        }
    }

    private BuildResult buildAfterEarlyStart() throws IOException {
        if (o.cacheDir() != null && Files.exists(o.cacheDir()) && !Files.isDirectory(o.cacheDir())) {
            throw new InputException("--cache-dir " + o.cacheDir() + ": not a directory"); // before any Nix work
        }
        dev.distrolix.TempFiles.sweepTempDirectory(); // what killed runs left in the temp folder
        // A registry target is pinged while the spec loads and Nix resolves rather than before
        // (each costs 0.05-0.2 s of a short run). Its failure still ends the build before anything
        // is written, stopping a Nix process still running, and a run with several faults reports
        // the one it did when each step waited for the last: spec, target, registry, options, Nix.
        ImageReference.Registry registryTarget = registryTarget();
        NixCli nixCli = o.lockUse() == null ? null : nixCli(); // made here: the lock's thread uses it too
        Background<Void> registryCheck = startRegistryCheck(registryTarget);
        // a fresh runner's read of the registry's layers, started now when the command line says all it needs
        earlyRemote = registryTarget == null ? null : RegistryLayers.early(registryTarget, o.tag(), o.cacheDir(),
                o.cacheFrom(), o.registry(), o.listener());
        // the lock is read on its own thread while the registry answers and the spec loads (its first JSON parse and
        // SHA-256 of the run: 20-50 ms); its notices and errors still come where they did when it was read first
        // (with a layer cache, the local store's closure is checked through the records beside it, as an evaluating
        // build's is: a warm build from a fresh lock runs no Nix program at all)
        LockRead.Read readLock = () -> {
            List<String> notices = new ArrayList<>();
            LockedInputs found = LockedInputs.forBuild(o.lockSpec(), o.lockUse(), o.includes(), o.platforms(), nixCli,
                    dev.distrolix.lock.SubstituterRetry.of(dev.distrolix.registry.RetryPolicy.DEFAULT), notices::add)
                    .orElse(null);
            return new LockRead.Found(found, notices);
        };
        // a spec from stdin has no lock beside it: what that means (none, or --locked refused) is said at once,
        // before stdin is read
        LockRead lockRead = null;
        try {
            lockRead = o.lockUse() == null ? null : o.lockSpec() == null ? LockRead.now(readLock)
                    : LockRead.start(readLock);
            return build(registryCheck, lockRead);
        } finally {
            if (lockRead != null) {
                lockRead.close();
            }
            if (registryCheck != null) {
                registryCheck.cancel();
            }
            if (earlyRemote != null) {
                earlyRemote.close();
            }
        }
    }

    /** The target when it is a {@code docker://} one; null for others, and for none (the default is a folder). */
    private ImageReference.Registry registryTarget() {
        if (o.target() == null) {
            return null;
        }
        try {
            return ImageReference.parseTarget(o.target()) instanceof ImageReference.Registry r ? r : null;
        } catch (RuntimeException e) {
            return null; // reported after the spec's own errors, by the same parse in build()
        }
    }

    /** The fail-fast ping of a {@code docker://} target, on its own thread; null for other targets. */
    private Background<Void> startRegistryCheck(ImageReference.Registry t) {
        if (t == null) {
            return null;
        }
        return Background.start("distrolix-registry-check", () -> {
            Transports.checkWritable(t, o.registry());
            return null;
        });
    }

    private BuildResult build(Background<Void> registryCheck, LockRead lockRead) throws IOException {
        ImageSpec spec;
        try {
            spec = o.specSource().apply(o.cacheDir() == null ? SpecTreeRecords.none()
                    : SpecTreeRecords.in(SpecTreeRecords.beside(o.cacheDir()), RecordKey.user()));
        } catch (RuntimeException | Error e) {
            if (lockRead != null) {
                lockRead.join(); // a bad lock is reported before a bad spec, as when it was read first
            }
            throw e;
        }
        if (lockRead != null) {
            LockRead.Found found = lockRead.join();
            found.notices().forEach(m -> o.listener().on(new BuildEvent.Notice(m)));
            if (found.lock() != null) {
                locked = found.lock();
            }
        }
        o.listener().on(new BuildEvent.SpecLoaded(spec.file().toString(), spec.name()));
        // Parse options first: a bad option must fail before any Nix work or output.
        ImageReference parsedTarget = ImageReference.parseTarget(o.target() != null ? o.target() : "oci:out/" + spec.name());
        if (o.tag() != null && !parsedTarget.tags().isEmpty() && !parsedTarget.tags().contains(o.tag())) {
            // the output's own tag would win and --tag be dropped without a word
            throw new InputException("--tag " + dev.distrolix.Printable.shown(o.tag(), 100)
                    + " and the output " + dev.distrolix.Printable.escaped(parsedTarget.toString())
                    + " name other tags: give the tag in one of them");
        }
        if (registryCheck == null) {
            Transports.checkWritable(parsedTarget, o.registry());
        }
        refuseOverSpec(parsedTarget.archiveFile(), "the output", o.specFile());
        refuseOverSpec(o.digestFile(), "--digest-file", o.specFile());
        // the digest file's temp file exists from here on: a place it cannot go fails before any work
        try (StagedFile digestOut = o.digestFile() == null ? null : StagedFile.prepare(o.digestFile(), "--digest-file")) {
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
            comp = o.compressionName() != null ? parseCompression(o.compressionName())
                    : o.compression() != null ? o.compression() : spec.compression().orElse(Compression.GZIP);
            strategy = o.layering() != null ? o.layering() : spec.layering().strategy().specName();
            layers = o.maxLayers() != null ? o.maxLayers() : spec.layering().maxLayers();
            Layering.maxStoreLayers(layers);
            Layering.of(strategy);
            createdAt = o.created() != null ? o.created() : SourceDateEpoch.fromEnvironment();
        } catch (RuntimeException e) {
            if (registryCheck != null) {
                registryCheck.join(); // an unreachable registry was reported before a bad option
            }
            throw e;
        }

        // the registry as a cache: its images' layers are used where the layer cache has none
        try (RegistryLayers.Lazy remote = earlyRemote != null ? earlyRemote.adopted()
                : RegistryLayers.forBuild(parsedTarget, o.tag() != null ? o.tag() : spec.tag().orElse(null),
                spec.name(), o.cacheDir(), o.cacheFrom(), o.registry(), o.listener())) {
            return build(registryCheck, spec, parsedTarget, digestOut, comp, strategy, layers, createdAt, remote);
        }
    }

    private BuildResult build(Background<Void> registryCheck, ImageSpec spec, ImageReference parsedTarget,
                              StagedFile digestOut, Compression comp, String strategy, int layers, Instant createdAt,
                              RegistryLayers.Lazy remote) throws IOException {
        List<String> platforms = o.platforms() != null ? o.platforms() : spec.platforms();
        List<NixInputs> inputs = new ArrayList<>();
        StoreSource storeSource = o.storeSource();
        StoreDirectoryLister lister = o.lister();
        if (!platforms.isEmpty() && locked != null) {
            inputs.addAll(registryCheck == null ? locked.nixInputs(spec, platforms, o.listener())
                    : whileChecking(registryCheck, () -> locked.nixInputs(spec, platforms, o.listener())));
            storeSource = locked.source();
            lister = locked.lister(o.cacheDir());
        } else if (!platforms.isEmpty()) {
            if (registryCheck != null) {
                registryCheck.join();
            }
            inputs.addAll(PlatformBuild.evaluateEach(spec, platforms, nixCli(), o.includes(), o.listener()));
        } else if (locked != null) {
            inputs.add(registryCheck == null ? locked.nixInputs(spec, o.listener())
                    : whileChecking(registryCheck, () -> locked.nixInputs(spec, o.listener())));
            storeSource = locked.source();
            lister = locked.lister(o.cacheDir());
        } else {
            NixCli nixCli = nixCli();
            inputs.add(registryCheck == null ? NixInputs.of(spec, nixCli, o.includes(), o.listener())
                    : whileChecking(registryCheck, () -> NixInputs.of(spec, nixCli, o.includes(), o.listener())));
        }

        earlyEvaluations.record(); // none (from a lock): the next build of this spec starts none
        remote.expectImages(inputs.size());
        LayerCache cache = o.cacheDir() != null ? LayerCache.open(o.cacheDir()) : null;
        Path blobs = null;
        try {
            // a registry target: layers not in the cache are uploaded as they are made (with no layer cache, only
            // uploaded: none on disk). Not for a signing build: its SBOM reads the layers from disk beside the push.
            StreamedLayers.Target streamTo = o.workDir() == null && o.afterWrite() == null
                    && parsedTarget.withDefaults(spec.name(), "latest") instanceof ImageReference.Registry r
                    ? new StreamedLayers.Target(r.ref(), o.registry()) : null;
            blobs = cache != null ? cache.blobsDir()
                    : o.workDir() != null ? Files.createDirectories(o.workDir())
                    : streamTo != null ? dev.distrolix.TempFiles.tempPath("build") // made only if a layer falls back to disk
                    : dev.distrolix.TempFiles.createTempDirectory("build");
            PlatformBuild.Settings settings = new PlatformBuild.Settings(strategy, layers, comp, createdAt, cache, blobs,
                    o.listener(), locked != null, !platforms.isEmpty(), remote, streamTo,
                    cache == null && o.workDir() == null); // a private temp folder, deleted below: outputs may link its files
            List<PlatformBuild.Result> results = PlatformBuild.assembleEach(inputs, storeSource, lister, settings);
            Artifact artifact = platforms.isEmpty() ? results.get(0).image()
                    : AssembledIndex.of(results.stream().map(PlatformBuild.Result::image).toList());
            String finalTag = o.tag() != null ? o.tag() : spec.tag().orElse(artifact.manifestDigest().hex().substring(0, 32));
            ImageReference t = parsedTarget.withDefaults(spec.name(), finalTag);
            if (artifact instanceof AssembledIndex index && !(t instanceof ImageReference.Registry
                    || t instanceof ImageReference.OciLayout || t instanceof ImageReference.OciArchive)) {
                // one image is written: it is what the digest file, -q and the result name
                artifact = dev.distrolix.image.PlatformChoice.pick(index, null, t.toString());
                Artifact picked = artifact;
                results = results.stream().filter(r -> r.image().manifestDigest().equals(picked.manifestDigest())).toList();
                o.listener().on(new BuildEvent.Notice(t + " holds one image: writing " + results.get(0).system().platform()
                        + " of " + String.join(", ", platforms) + "; an index goes to docker://, oci: or oci-archive:"));
            }
            if (digestOut != null) {
                digestOut.write(artifact.manifestDigest() + "\n");
            }
            if (o.afterWrite() != null) {
                // a signing step starts here; its key is checked before anything is published (for an index too)
                BuiltImage planned = !(artifact instanceof AssembledImage image) || !platforms.isEmpty() ? null
                        : new BuiltImage(spec, image, t, new WriteResult(image.manifestDigest(), t.toString()),
                        results.get(0).closure(), results.get(0).system(), createdAt, lockFile(locked));
                o.afterWrite().beforeWrite(planned, t);
            }
            WriteResult wr;
            try {
                wr = Transports.write(artifact, t, o.registry(), null,
                        o.afterWrite() != null ? o.afterWrite()::ready : dev.distrolix.registry.ImagePusher.Gate.OPEN);
                if (digestOut != null) {
                    digestOut.commit(); // a rename in a folder checked at the start: the one step after the image's commit
                }
                o.listener().on(new BuildEvent.ImageWritten(wr.where(), wr.manifestDigest()));
                if (o.afterWrite() != null) {
                    java.util.Optional<Path> lockFile = lockFile(locked);
                    for (PlatformBuild.Result r : results) {
                        WriteResult each = artifact instanceof AssembledIndex
                                ? new WriteResult(r.image().manifestDigest(), wr.where()) : wr;
                        o.afterWrite().written(new BuiltImage(spec, r.image(), t, each, r.closure(), r.system(), createdAt,
                                lockFile));
                    }
                    if (artifact instanceof AssembledIndex) {
                        o.afterWrite().writtenIndex(t, wr);
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                if (o.afterWrite() != null) {
                    o.afterWrite().abandon(); // its work beside the write stops with the build
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
            } else if (o.workDir() == null && blobs != null && Files.exists(blobs)) {
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
        if (nix == null) {
            NixCli n = o.nix() != null ? o.nix() : NixCli.create();
            nix = o.cacheDir() == null ? n : n.withClosureRecords(dev.distrolix.nix.ClosureRecords.in(
                    dev.distrolix.nix.ClosureRecords.beside(o.cacheDir()), RecordKey.user()));
        }
        return nix;
    }

    /**
     * The evaluations recorded beside the layer cache for the spec's file and this build's search path and platforms,
     * started now; none without a layer cache or a spec file, nor where a lock is likely to pin the build (one given,
     * required, or beside the spec: a fresh one evaluates nothing, and a Nix running would only change its database's
     * files while the lock's closure is checked against its records).
     */
    private EarlyEvaluations startEarlyEvaluations() {
        if (o.cacheDir() == null || o.specFile() == null || o.locked() != null
                || o.lockUse() == LockedInputs.LockUse.REQUIRED || (o.lockUse() == LockedInputs.LockUse.IF_FRESH
                && Files.exists(dev.distrolix.lock.ImageLock.fileFor(o.specFile())))) {
            return EarlyEvaluations.none();
        }
        NixCli n = nixCli();
        EarlyEvaluations started = n.startEvaluations(EvaluationRecords.slot(EvaluationRecords.beside(o.cacheDir()),
                RecordKey.user(), o.specFile(), o.includes(), o.platforms()));
        nix = n.withEarlyEvaluations(started);
        return started;
    }

    /** An output named to replace the spec file the build reads is refused before any work. */
    private static void refuseOverSpec(Path output, String what, Path specFile) {
        try {
            if (output != null && specFile != null && Files.exists(output) && Files.isSameFile(output, specFile)) {
                throw new InputException("cannot write " + what + " " + output + ": it is the spec being built");
            }
        } catch (IOException unreadable) {
            // the write itself says what is wrong with the place
        }
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
}
