package dev.distrolix.build;

import dev.distrolix.Background;
import dev.distrolix.InputException;
import dev.distrolix.lock.ImageLock;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.nix.PackageRef;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.substituter.BinaryCache;
import dev.distrolix.nix.substituter.NarHash;
import dev.distrolix.nix.substituter.Retry;
import dev.distrolix.nix.substituter.SubstituterStoreSource;
import dev.distrolix.nix.substituter.TrustedKeys;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.PackageEntry;
import dev.distrolix.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code distrolix lock}: Nix evaluates the spec's packages and their closure; each closure path's narinfo
 * is read from the substituters (signature checked, and NarHash, NarSize and references compared with
 * the local store's) and recorded as the cache states it.
 */
public final class Locking {
    /** How many narinfo requests run at once. */
    public static final int PARALLELISM = 8;

    private Locking() {}

    /** The lock of {@code specFile} (not written). */
    public static ImageLock lock(Path specFile, NixCli nix, List<String> includes, List<String> substituters,
                                 List<String> trustedKeys, Retry retry) throws IOException {
        if (substituters.isEmpty()) {
            throw new InputException("no substituter: pass --substituter URL (or set substituters in nix.conf)");
        }
        if (trustedKeys.isEmpty()) {
            throw new InputException("no trusted public key: pass --trusted-public-key NAME:KEY"
                    + " (or set trusted-public-keys in nix.conf)");
        }
        TrustedKeys keys;
        try {
            keys = TrustedKeys.of(trustedKeys);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        List<BinaryCache> caches = substituters.stream().map(u -> BinaryCache.of(u, retry)).toList();
        byte[] bytes = SpecLoader.bytesOf(specFile);
        ImageSpec spec = SpecLoader.load(specFile);
        // the same evaluation a build makes: per platform its system (all at once), else the spec's system
        List<Evaluated> evaluated = new ArrayList<>();
        if (spec.platforms().isEmpty()) {
            evaluated.add(evaluate(spec, nix, includes));
        } else {
            List<Background<Evaluated>> jobs = new ArrayList<>();
            try {
                for (String p : spec.platforms()) {
                    ImageSpec forSystem = spec.forSystem(NixSystem.ofPlatform(p).nixSystem());
                    jobs.add(Background.start("distrolix-lock-" + p.replace('/', '-'), () -> evaluate(forSystem, nix, includes)));
                }
                for (Background<Evaluated> j : jobs) {
                    evaluated.add(j.join());
                }
            } finally {
                jobs.forEach(Background::cancel);
            }
        }
        java.util.Set<StorePath> all = new java.util.TreeSet<>();
        evaluated.forEach(e -> all.addAll(e.closure().paths()));
        try (SubstituterStoreSource source = new SubstituterStoreSource(caches, keys, java.util.Map.of())) {
            List<ImageLock.LockedPath> located = SubstituterStoreSource.boundedAll(List.copyOf(all), PARALLELISM, p -> {
                SubstituterStoreSource.Located l = source.locate(p);
                PathInfo local = evaluated.stream().filter(e -> e.closure().contains(p)).findFirst().orElseThrow()
                        .closure().info(p);
                check(local, l);
                return new ImageLock.LockedPath(p, l.info().narHash(), l.info().narSize(), l.info().references(),
                        l.info().sigs());
            });
            java.util.Map<StorePath, ImageLock.LockedPath> byPath = new java.util.HashMap<>();
            located.forEach(l -> byPath.put(l.path(), l));
            List<ImageLock.PlatformClosure> closures = evaluated.stream().map(e -> new ImageLock.PlatformClosure(e.system(),
                    e.packages(), e.closure().paths().stream().map(byPath::get).toList())).toList();
            return new ImageLock(ImageLock.sha256Hex(bytes), closures, !spec.platforms().isEmpty(),
                    caches.stream().map(BinaryCache::url).toList(), keys.texts());
        }
    }

    /** One system's packages and closure, as Nix evaluates them. */
    private record Evaluated(String system, List<ImageLock.Package> packages, Closure closure) {}

    /** As a build asks ({@link NixInputs#packages}). */
    private static Evaluated evaluate(ImageSpec spec, NixCli nix, List<String> includes) throws IOException {
        NixInputs.Packages found = NixInputs.packages(spec, nix, includes);
        NixInputs.PackageResolution resolved = found.resolution();
        Closure closure = found.closure();
        List<ImageLock.Package> packages = new ArrayList<>();
        for (PackageEntry e : spec.packages()) {
            packages.add(new ImageLock.Package(e.name(), describe(e.ref()), resolved.outputs().get(e.name())));
        }
        String system = spec.system().orElseGet(() -> NixInputs.builtFor(resolved, closure, nix).nixSystem());
        return new Evaluated(system, packages, closure);
    }

    /** The cache must hold the same content as the local store (a path's hash fixes its inputs, not its bytes). */
    private static void check(PathInfo local, SubstituterStoreSource.Located l) {
        String where = l.narInfoUrl();
        if (local.narSize() != l.info().narSize()) {
            throw new InputException(local.path() + ": " + where + " says NarSize " + l.info().narSize()
                    + ", the local store " + local.narSize());
        }
        try {
            NarHash h = NarHash.parse(local.narHash());
            if (!h.equals(l.info().narHash())) {
                throw new InputException(local.path() + ": " + where + " says NarHash " + l.info().narHash()
                        + ", the local store " + h);
            }
        } catch (IllegalArgumentException unreadable) {
            // a hash form we do not parse: the size and references still have to agree
        }
        List<StorePath> refs = l.info().references().stream().filter(r -> !r.equals(local.path())).toList();
        if (!refs.equals(local.references())) {
            throw new InputException(local.path() + ": " + where + " lists other references than the local store");
        }
    }

    private static String describe(PackageRef ref) {
        Objects.requireNonNull(ref);
        if (ref instanceof PackageRef.Attribute a) {
            return a.packageSet().map(s -> s.getFileName() + "#").orElse("") + a.attrPath();
        }
        if (ref instanceof PackageRef.StorePathRef s) {
            return s.path().fullPath();
        }
        if (ref instanceof PackageRef.NixFile f) {
            return f.file().getFileName() + f.attrPath().map(a -> "#" + a).orElse("");
        }
        return "flake:" + ((PackageRef.Flake) ref).ref();
    }
}
