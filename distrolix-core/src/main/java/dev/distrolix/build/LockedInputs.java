package dev.distrolix.build;

import dev.distrolix.InputException;
import dev.distrolix.blob.RecordKey;
import dev.distrolix.lock.ImageLock;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.LocalStoreSource;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.StoreSource;
import dev.distrolix.nix.substituter.BinaryCache;
import dev.distrolix.nix.substituter.NarHash;
import dev.distrolix.nix.substituter.NarListingRecords;
import dev.distrolix.nix.substituter.Retry;
import dev.distrolix.nix.substituter.SubstituterStoreSource;
import dev.distrolix.nix.substituter.TrustedKeys;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.PackageEntry;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.spec.SpecRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The inputs of {@code distrolix build --locked}: everything Nix would say, read from the lock, and the
 * store paths' contents from its substituters. Runs no Nix program and reads nothing from /nix/store.
 */
public final class LockedInputs implements AutoCloseable {
    private final ImageLock lock;
    private final Path lockFile;
    private final SubstituterStoreSource source;
    private NixCli localNix;
    private boolean fromLocalStore;

    private LockedInputs(ImageLock lock, Path lockFile, SubstituterStoreSource source) {
        this.lock = lock;
        this.lockFile = lockFile;
        this.source = source;
    }

    /**
     * The lock beside {@code specFile}; missing, unreadable or stale (the spec's content changed since) is an
     * InputException saying to run {@code distrolix lock}.
     */
    public static LockedInputs load(Path specFile, Retry retry) {
        Path lockFile = ImageLock.fileFor(specFile);
        byte[] spec = SpecLoader.bytesOf(specFile);
        ImageLock lock = ImageLock.read(lockFile);
        if (!lock.specSha256().equals(ImageLock.sha256Hex(spec))) {
            throw new InputException(lockFile + " is stale (" + specFile + " changed since it was locked); run distrolix lock "
                    + specFile);
        }
        return open(lock, lockFile, retry);
    }

    /** A lock already read and found fresh, with its keys and caches. */
    private static LockedInputs open(ImageLock lock, Path lockFile, Retry retry) {
        TrustedKeys keys;
        try {
            keys = TrustedKeys.of(lock.trustedPublicKeys());
        } catch (IllegalArgumentException e) {
            throw new InputException(lockFile + ": " + e.getMessage(), e);
        }
        List<BinaryCache> caches = lock.substituters().stream().map(u -> BinaryCache.of(u, retry)).toList();
        return new LockedInputs(lock, lockFile, new SubstituterStoreSource(caches, keys, lock.expected()));
    }

    /** How a build treats the lock beside its spec. */
    public enum LockUse {
        /** {@code --locked}: the lock alone, from its substituters; missing or stale is an error. */
        REQUIRED,
        /** The default: a fresh lock pins the packages (read from the local store where it has them as locked). */
        IF_FRESH,
        /** {@code --no-lock}: evaluate the spec with Nix, whatever lock there is. */
        IGNORED
    }

    /**
     * The lock a build of {@code specFile} uses ({@code null} for a spec read from stdin): with {@link
     * LockUse#IF_FRESH} none when the build names a package set of its own ({@code -I}: the lock may pin
     * another one), when there is no lock, or when it is stale (said to {@code notice}); a fresh one reads the
     * local store where {@code localNix} says it holds the locked paths. For a build of {@code platforms}
     * ({@code --platform}; null: the spec's own), a lock that does not pin them is an error with {@link
     * LockUse#REQUIRED} and otherwise not used (said to {@code notice}: Nix evaluates the spec).
     */
    static Optional<LockedInputs> forBuild(Path specFile, LockUse use, List<String> includes, List<String> platforms,
                                           NixCli localNix, Retry retry, Consumer<String> notice) throws IOException {
        Optional<LockedInputs> lock = find(specFile, use, includes, localNix, retry, notice);
        if (platforms == null || lock.isEmpty() || lock.get().pins(platforms)) {
            return lock;
        }
        lock.get().close();
        String name = ImageLock.fileFor(specFile).getFileName().toString();
        if (use == LockUse.REQUIRED) {
            throw new InputException(name + " does not pin --platform " + String.join(",", platforms)
                    + "; add it to platforms: and run distrolix lock again");
        }
        notice.accept(name + " not used: it does not pin --platform " + String.join(",", platforms)
                + "; Nix evaluates the spec");
        return Optional.empty();
    }

    private static Optional<LockedInputs> find(Path specFile, LockUse use, List<String> includes, NixCli localNix,
                                               Retry retry, Consumer<String> notice) {
        if (use == LockUse.REQUIRED) {
            if (specFile == null) {
                throw new InputException("--locked needs a spec file (its lock is beside it), not -");
            }
            return Optional.of(load(specFile, retry));
        }
        if (use == LockUse.IGNORED || specFile == null) {
            return Optional.empty();
        }
        Path lockFile = ImageLock.fileFor(specFile);
        if (!Files.isRegularFile(lockFile)) {
            return Optional.empty();
        }
        if (!includes.isEmpty()) {
            notice.accept(lockFile.getFileName() + " not used: -I names the package set; Nix evaluates the spec");
            return Optional.empty();
        }
        return loadIfFresh(specFile, lockFile, retry, notice).map(l -> l.preferringLocalStore(localNix));
    }

    /**
     * The lock {@code lockFile} of {@code specFile} when it is fresh; empty when it is stale (told to {@code
     * notice}: the build then evaluates the spec as if there were none). A lock that cannot be read is an error,
     * as with {@code --locked}.
     */
    private static Optional<LockedInputs> loadIfFresh(Path specFile, Path lockFile, Retry retry,
                                                      Consumer<String> notice) {
        byte[] spec;
        try {
            spec = SpecLoader.bytesOf(specFile);
        } catch (dev.distrolix.spec.SpecException e) {
            return Optional.empty(); // the spec cannot be read: the build reports it as it always does
        }
        ImageLock lock = ImageLock.read(lockFile);
        if (!lock.specSha256().equals(ImageLock.sha256Hex(spec))) {
            notice.accept(lockFile.getFileName() + " is stale (the spec changed since it was locked): not used;"
                    + " run distrolix lock " + specFile + " to pin this spec again");
            return Optional.empty();
        }
        return Optional.of(open(lock, lockFile, retry));
    }

    /**
     * Where the local store holds every locked path with the NAR hash the lock records (asked of {@code nix}
     * in one query), the paths are read from it instead of fetched; otherwise, or without Nix, from the
     * substituters. Either way nothing is evaluated: the lock says what the packages are.
     */
    private LockedInputs preferringLocalStore(NixCli nix) {
        this.localNix = nix;
        return this;
    }

    public ImageLock lock() {
        return lock;
    }

    /** The lock file the build is pinned by. */
    public Path lockFile() {
        return lockFile;
    }

    StoreSource source() {
        return fromLocalStore ? new LocalStoreSource() : source;
    }

    /** What Nix would have said of a spec without platforms, from the lock (its paths fetched as the layers read them). */
    NixInputs nixInputs(ImageSpec spec, BuildListener listener) throws IOException {
        if (lock.multiPlatform()) {
            throw new InputException(lockFile + " pins the platforms " + platformNames(lock.systems())
                    + " but the spec names none; run distrolix lock again");
        }
        NixInputs in = nixInputs(spec, lock.closure(), listener);
        prepare(List.of(in), listener);
        return in;
    }

    /**
     * Each of {@code platforms}' inputs from its locked closure, in that order; a platform the lock does not pin
     * is an error saying to lock again.
     */
    List<NixInputs> nixInputs(ImageSpec spec, List<String> platforms, BuildListener listener) throws IOException {
        List<NixInputs> out = new ArrayList<>();
        for (String p : platforms) {
            String system = NixSystem.ofPlatform(p).nixSystem();
            ImageLock.PlatformClosure c = lock.closureFor(system).orElseThrow(() -> new InputException(lockFile
                    + " pins " + platformNames(lock.systems()) + ", not " + p + "; run distrolix lock with it in platforms:"));
            out.add(nixInputs(spec.forSystem(system), c, listener));
        }
        prepare(out, listener);
        return out;
    }

    /** True when the lock pins every one of {@code platforms} (empty: a spec without platforms). */
    public boolean pins(List<String> platforms) {
        if (platforms.isEmpty()) {
            return !lock.multiPlatform();
        }
        for (String p : platforms) {
            if (lock.closureFor(NixSystem.ofPlatform(p).nixSystem()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String platformNames(List<String> systems) {
        return String.join(", ", systems.stream().map(s -> NixSystem.parse(s).platform()).toList());
    }

    private NixInputs nixInputs(ImageSpec spec, ImageLock.PlatformClosure locked, BuildListener listener) {
        Map<String, ImageLock.Package> packages = new LinkedHashMap<>();
        locked.packages().forEach(p -> packages.put(p.name(), p));
        Map<String, StorePath> byName = new LinkedHashMap<>();
        List<StorePath> roots = new ArrayList<>();
        for (PackageEntry e : spec.packages()) {
            ImageLock.Package p = packages.get(e.name());
            if (p == null || p.outputs().isEmpty()) {
                throw new InputException(lockFile + " has no package '" + e.name() + "'; run distrolix lock again");
            }
            byName.put(e.name(), p.outputs().get(0));
            p.outputs().stream().filter(o -> !roots.contains(o)).forEach(roots::add);
        }
        listener.on(new BuildEvent.PackagesResolved(roots.stream().map(StorePath::fullPath).toList()));
        ResolvedSpec resolved = SpecRenderer.render(spec, byName);
        List<PathInfo> infos = new ArrayList<>();
        for (ImageLock.LockedPath p : locked.paths()) {
            infos.add(new PathInfo(p.path(), p.narSize(), p.narHash().toString(), p.references()));
        }
        Closure closure;
        try {
            closure = new Closure(roots, infos);
        } catch (IllegalArgumentException e) {
            throw new InputException(lockFile + ": " + e.getMessage() + "; run distrolix lock again", e);
        }
        listener.on(new BuildEvent.ClosureComputed(closure.size(), closure.totalNarSize()));
        NixSystem system = NixSystem.parse(spec.system().orElse(locked.system()));
        return new NixInputs(resolved, closure, system);
    }

    /** Where the paths of {@code inputs} are read from (the local store when it holds them as locked), said once. */
    private void prepare(List<NixInputs> inputs, BuildListener listener) {
        List<StorePath> roots = new ArrayList<>();
        java.util.Set<StorePath> paths = new java.util.TreeSet<>();
        for (NixInputs in : inputs) {
            in.closure().roots().stream().filter(r -> !roots.contains(r)).forEach(roots::add);
            paths.addAll(in.closure().paths());
        }
        fromLocalStore = localNix != null && localStoreHasAsLocked(roots, paths);
        if (localNix != null) {
            listener.on(new BuildEvent.Notice("using " + lockFile.getFileName() + " (" + paths.size() + " store paths, "
                    + (fromLocalStore ? "from the local store" : "fetched from " + String.join(", ", lock.substituters()))
                    + "); build with --no-lock to evaluate the spec with Nix instead"));
        }
        // nothing is fetched yet: the layers say which paths they will read once the layer cache has been asked
    }

    /** True when the local store's closure of {@code roots} is exactly {@code locked}, hash for hash. */
    private boolean localStoreHasAsLocked(List<StorePath> roots, java.util.Set<StorePath> locked) {
        Closure local;
        try {
            local = localNix.queryClosure(roots);
        } catch (RuntimeException noNixOrNotValid) {
            return false; // not there, or no Nix to ask: the substituters have them
        }
        if (local.size() != locked.size()) {
            return false;
        }
        Map<StorePath, SubstituterStoreSource.Expected> expected = lock.expected();
        try {
            for (StorePath p : locked) {
                if (!local.contains(p) || !NarHash.parse(local.info(p).narHash()).equals(expected.get(p).narHash())) {
                    return false;
                }
            }
        } catch (IllegalArgumentException unreadableHash) {
            return false;
        }
        return true;
    }

    /**
     * Lists directories inside store paths from their NARs, following symlinks as the file system would; with a
     * layer cache ({@code cacheDir}, else null), each listing recorded beside it.
     */
    StoreDirectoryLister lister(Path cacheDir) {
        if (fromLocalStore) {
            return StoreDirectoryLister.local(Path.of("/"));
        }
        return new LockedStoreLister(source, lock.expected().keySet(), cacheDir == null ? NarListingRecords.none()
                : NarListingRecords.in(NarListingRecords.beside(cacheDir), RecordKey.user()));
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
