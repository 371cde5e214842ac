package dev.distrolix.build;

import dev.distrolix.Background;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.nix.StorePath;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.spec.SpecRenderer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Nix says about a spec: the spec rendered with its packages' store paths, their runtime
 * closure, and the system the image is for (the spec's, else the one Nix builds for).
 */
record NixInputs(ResolvedSpec resolved, Closure closure, NixSystem system) {

    /** Resolves the packages (building them if needed), queries the closure; reports both to {@code listener}. */
    static NixInputs of(ImageSpec spec, NixCli nix, List<String> includes, BuildListener listener) throws IOException {
        return ofEach(List.of(spec), nix, includes, listener).get(0);
    }

    /**
     * The same for several specs at once (one per platform): every package of every spec is evaluated at once
     * (built at once where one is not built yet: {@link #evaluatedOnly}), then one closure query covers them all
     * and is split per spec (a Nix process costs a build ~0.05 s of CPU, and two platforms' queries ran side by
     * side on the same cores). Errors are reported in the specs' order.
     */
    static List<NixInputs> ofEach(List<ImageSpec> specs, NixCli nix, List<String> includes, BuildListener listener)
            throws IOException {
        List<Background<PackageResolution>> resolutions = new ArrayList<>();
        try {
            List<PackageResolution> packages = new ArrayList<>();
            List<ResolvedSpec> rendered = new ArrayList<>();
            Closure all = evaluatedOnly(specs, nix, includes, packages);
            if (all != null) {
                for (int i = 0; i < specs.size(); i++) {
                    rendered.add(resolved(specs.get(i), packages.get(i), listener));
                }
            } else {
                for (ImageSpec spec : specs) {
                    resolutions.add(Background.start("distrolix-nix-resolve",
                            () -> PackageResolution.resolve(spec, nix, includes)));
                }
                java.util.Set<StorePath> allRoots = new java.util.LinkedHashSet<>();
                for (int i = 0; i < specs.size(); i++) {
                    PackageResolution p = resolutions.get(i).join();
                    packages.add(p);
                    rendered.add(resolved(specs.get(i), p, listener));
                    allRoots.addAll(p.roots());
                }
                all = checkedClosure(specs, packages, allRoots, nix);
            }
            List<NixInputs> out = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                ImageSpec spec = specs.get(i);
                Closure closure = specs.size() == 1 ? all : all.of(packages.get(i).roots());
                listener.on(new BuildEvent.ClosureComputed(closure.size(), closure.totalNarSize()));
                NixSystem system = spec.system().isPresent() ? NixSystem.parse(spec.system().get())
                        : builtFor(packages.get(i), all, nix);
                out.add(new NixInputs(rendered.get(i), closure, system));
            }
            return out;
        } finally {
            resolutions.forEach(Background::cancel); // after a failure: not waited for
        }
    }

    /** The spec with its packages' paths, once the listener is told they are resolved. */
    private static ResolvedSpec resolved(ImageSpec spec, PackageResolution p, BuildListener listener) {
        listener.on(new BuildEvent.PackagesResolved(p.roots().stream().map(StorePath::fullPath).toList()));
        return SpecRenderer.render(spec, p.byName());
    }

    /**
     * The closure when evaluation alone says every package's out path and all of them are valid already, with
     * their derivations on disk (what the system checks read), each spec's packages added to {@code packages};
     * otherwise null and {@code packages} left empty: the packages are then built ({@code nix-build}), and any
     * error is reported from there, in its words. A build of packages already built needs no derivation written
     * to the store, which is most of what nix-build costs it (see {@link NixCli#evaluatedOutPath}).
     */
    private static Closure evaluatedOnly(List<ImageSpec> specs, NixCli nix, List<String> includes,
                                         List<PackageResolution> packages) throws IOException {
        List<Background<PackageResolution>> each = new ArrayList<>();
        // the closure query's Nix starts beside the evaluation that names its roots
        try (NixCli.PreparedQuery query = nix.prepareClosureQuery()) {
            for (ImageSpec spec : specs) {
                each.add(Background.start("distrolix-nix-eval", () -> PackageResolution.evaluate(spec, nix, includes)));
            }
            List<PackageResolution> evaluated = new ArrayList<>();
            java.util.Set<StorePath> roots = new java.util.LinkedHashSet<>();
            for (Background<PackageResolution> b : each) {
                PackageResolution p = b.join();
                if (p == null) {
                    return null;
                }
                evaluated.add(p);
                roots.addAll(p.roots());
            }
            Closure all = checkedClosure(specs, evaluated, roots, nix);
            for (StorePath root : roots) {
                StorePath deriver = all.info(root).deriver();
                if (deriver != null && !java.nio.file.Files.exists(java.nio.file.Path.of(deriver.fullPath()))) {
                    return null; // collected: nix-build writes it again, for the system checks to read
                }
            }
            packages.addAll(evaluated);
            return all;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // stopped, not failed
            }
            return null;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            return null; // not built yet, or an error nix-build reports in its words
        } finally {
            each.forEach(Background::cancel);
        }
    }

    /**
     * The system a spec that names none is for: the one its packages' derivations were evaluated for, read
     * from their files, when they all say the same platform (what Nix builds for by default, unless an
     * expression chose another: a flake's {@code packages.aarch64-linux.…} is arm64); otherwise, or when a
     * derivation cannot be read, what Nix builds for ({@code builtins.currentSystem}: a Nix process, ~0.05 s).
     */
    static NixSystem builtFor(PackageResolution packages, Closure closure, NixCli nix) {
        java.util.Collection<StorePath> outputs = new java.util.LinkedHashSet<>(packages.byName().values());
        Map<StorePath, String> systems = dev.distrolix.nix.DerivationFile.systemsOf(outputs, closure);
        return agreed(outputs.size(), systems.values()).orElseGet(nix::system);
    }

    /** The one platform all {@code count} systems name, if each is known, they agree and it is one. */
    static java.util.Optional<NixSystem> agreed(int count, java.util.Collection<String> systems) {
        if (count == 0 || systems.size() != count || new java.util.HashSet<>(systems).size() != 1) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(NixSystem.parse(systems.iterator().next()));
        } catch (dev.distrolix.InputException e) {
            return java.util.Optional.empty(); // "builtin" (a fetched file), or no OCI platform
        }
    }

    /** One spec's packages and their closure. */
    record Packages(PackageResolution resolution, Closure closure) {}

    /**
     * One spec's packages and closure as a build asks Nix for them ({@code lock} does): evaluated where all are built
     * already, else built ({@code nix-build}), the closure's systems checked (read from the derivations it names).
     */
    static Packages packages(ImageSpec spec, NixCli nix, List<String> includes) throws IOException {
        List<PackageResolution> evaluated = new ArrayList<>();
        Closure closure = evaluatedOnly(List.of(spec), nix, includes, evaluated);
        if (closure != null) {
            return new Packages(evaluated.get(0), closure);
        }
        PackageResolution built = PackageResolution.resolve(spec, nix, includes);
        return new Packages(built, checkedClosure(List.of(spec), List.of(built), built.roots(), nix));
    }

    /**
     * The closure of {@code roots}, and each spec's packages checked against its system. When the query
     * fails, a package built for another system is still the error to report (asked of Nix then).
     */
    private static Closure checkedClosure(List<ImageSpec> specs, List<PackageResolution> packages,
                                          java.util.Collection<StorePath> roots, NixCli nix) {
        Closure all;
        try {
            all = nix.queryClosure(roots);
        } catch (RuntimeException e) {
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).system().isPresent()) {
                    checkSystem(specs.get(i), packages.get(i), nix, null);
                }
            }
            throw e;
        }
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).system().isPresent()) {
                checkSystem(specs.get(i), packages.get(i), nix, all);
            }
        }
        return all;
    }

    /**
     * Each package's derivation was evaluated for the spec's system: an expression that takes no {@code system}
     * (Nix passes it only to functions that ask for it) would build the host's and label it as the other.
     * The systems are read from the derivations {@code closure} names (null: asked of Nix).
     */
    static void checkSystem(ImageSpec spec, PackageResolution packages, NixCli nix, Closure closure) {
        String wanted = spec.system().get();
        Map<StorePath, String> systems = nix.derivationSystems(packages.byName().values(), closure);
        packages.byName().forEach((name, out) -> {
            String got = systems.get(out);
            if (got != null && !got.equals(wanted)) {
                throw new dev.distrolix.InputException(spec.file() + ": packages: " + name + " was built for " + got
                        + ", not " + wanted + ": its Nix expression ignores system (give it a system ? builtins.currentSystem"
                        + " argument and pass it on to import <nixpkgs> { inherit system; })");
            }
        });
    }

    /** Package name → its (first) output, every output as a closure root, and each package's outputs. */
    record PackageResolution(Map<String, StorePath> byName, List<StorePath> roots, Map<String, List<StorePath>> outputs) {
        /**
         * The out paths evaluation says ({@link NixCli#evaluatedOutPaths}: the spec's packages of one file in one Nix
         * evaluation), not checked to be valid, or null when one package's cannot be told that way.
         */
        static PackageResolution evaluate(ImageSpec spec, NixCli nix, List<String> includes) {
            List<dev.distrolix.nix.PackageRef> refs = refs(spec);
            // a store path is checked with the closure
            List<dev.distrolix.nix.PackageRef> evaluated = refs.stream()
                    .filter(r -> !(r instanceof dev.distrolix.nix.PackageRef.StorePathRef)).toList();
            java.util.Optional<List<StorePath>> paths = nix.evaluatedOutPaths(evaluated, includes, systemArgs(spec));
            if (paths.isEmpty()) {
                return null;
            }
            java.util.Iterator<StorePath> next = paths.get().iterator();
            List<List<StorePath>> outputs = new ArrayList<>();
            for (dev.distrolix.nix.PackageRef r : refs) {
                outputs.add(r instanceof dev.distrolix.nix.PackageRef.StorePathRef p ? List.of(p.path()) : List.of(next.next()));
            }
            return of(spec, outputs);
        }

        /** Each of the spec's packages built if needed ({@code nix-build}; a store path checked). */
        static PackageResolution resolve(ImageSpec spec, NixCli nix, List<String> includes) {
            Map<String, String> args = systemArgs(spec);
            // every package's nix-build starts at once (Nix locks what two of them build in common); the
            // results are taken in the spec's order, and the first failure in that order is the error
            List<dev.distrolix.nix.PackageRef> refs = refs(spec);
            List<Background<List<StorePath>>> jobs = new ArrayList<>();
            // as many Nix evaluations at once as there are cores (each may take hundreds of MB)
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(
                    Math.max(2, Runtime.getRuntime().availableProcessors()));
            try {
                for (dev.distrolix.nix.PackageRef r : refs) {
                    // a flake names its system itself (…#packages.aarch64-linux.NAME): checked like a store path
                    boolean takesSystem = r instanceof dev.distrolix.nix.PackageRef.Attribute
                            || r instanceof dev.distrolix.nix.PackageRef.NixFile;
                    jobs.add(Background.start("distrolix-nix-build", () -> {
                        slots.acquire();
                        try {
                            return takesSystem ? nix.resolve(r, includes, args) : nix.resolve(r, includes);
                        } finally {
                            slots.release();
                        }
                    }));
                }
                List<List<StorePath>> outputs = new ArrayList<>();
                for (Background<List<StorePath>> job : jobs) {
                    outputs.add(job.join());
                }
                return of(spec, outputs);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                jobs.forEach(Background::cancel);
            }
        }

        /**
         * The spec's system is the one its packages are evaluated for, as nixpkgs takes it: import <nixpkgs>
         * { system = …; } (nix-build --argstr system …); a store path is what it is, a flake names its own.
         */
        private static Map<String, String> systemArgs(ImageSpec spec) {
            return spec.system().map(s -> Map.of("system", s)).orElse(Map.of());
        }

        private static List<dev.distrolix.nix.PackageRef> refs(ImageSpec spec) {
            List<dev.distrolix.nix.PackageRef> refs = new ArrayList<>();
            for (dev.distrolix.spec.PackageEntry ref : spec.packages()) {
                refs.add(NixRefs.of(ref, spec));
            }
            return refs;
        }

        /** The resolution of the spec's packages, whose outputs are {@code outputs} in the spec's order. */
        private static PackageResolution of(ImageSpec spec, List<List<StorePath>> outputs) {
            Map<String, StorePath> byName = new LinkedHashMap<>();
            Map<String, List<StorePath>> outputsByName = new LinkedHashMap<>();
            List<StorePath> roots = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) {
                List<StorePath> outs = outputs.get(i);
                byName.put(spec.packages().get(i).name(), outs.get(0));
                outputsByName.put(spec.packages().get(i).name(), outs);
                for (StorePath o : outs) {
                    if (!roots.contains(o)) {
                        roots.add(o);
                    }
                }
            }
            return new PackageResolution(byName, roots, outputsByName);
        }
    }
}
