package dev.distrolix.nix;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The installed Nix, driven through its command-line tools: resolves {@link PackageRef}s to store
 * paths (building them if needed), queries closures, and reports the system.
 *
 * <p>Multiple outputs: every out path the command prints is returned. {@code nix-build} prints the
 * selected output of each derivation (usually {@code out}; {@code -A pkg.dev} selects another),
 * {@code nix build} prints the installable's default outputs ({@code outputsToInstall}, or
 * {@code ^out,dev} / {@code ^*} in the ref). Results of {@code --no-out-link} builds are not GC
 * roots: a concurrent {@code nix-collect-garbage} could delete them before they are read.
 *
 * <p>Instances are immutable and thread-safe; every call starts fresh processes.
 */
public final class NixCli {

    private final NixTools tools;
    private final Path workingDirectory;
    private final Duration buildTimeout;
    private final Duration queryTimeout;
    private final String storeDir;
    private final ClosureRecords closureRecords;
    private final EarlyEvaluations early;
    private volatile NixSystem system;
    /** A closure query started before its roots were known ({@link #prepareClosureQuery}); taken by the next query. */
    private Prepared prepared;

    /**
     * The environment whose Nix's database is read directly for closures ({@link StoreDatabase}), looked at when a
     * closure is first asked for; null where it is not to be read.
     */
    private final Map<String, String> databaseEnvironment;

    /**
     * A started {@code nix-store --serve} or an opening of Nix's database (one of them), and Nix's database as it was
     * before either opened it (its write-ahead log exists while one is open; null without records).
     */
    private record Prepared(NixServe serve, StoreDatabase.Opening database, String stamp) {
        void close() {
            if (serve != null) {
                serve.close();
            }
            if (database != null) {
                database.close();
            }
        }
    }

    private NixCli(Builder b) {
        Map<String, String> env = new HashMap<>(b.environment);
        env.put("PATH", b.searchPath);
        this.tools = new NixTools(b.searchPath, b.binDir, env, b.workingDirectory);
        this.workingDirectory = b.workingDirectory;
        this.buildTimeout = b.buildTimeout;
        this.queryTimeout = b.queryTimeout;
        this.storeDir = b.storeDir;
        this.closureRecords = null;
        this.early = EarlyEvaluations.none();
        this.databaseEnvironment = b.readStoreDatabase ? Map.copyOf(env) : null;
    }

    private NixCli(NixCli other, ClosureRecords records, EarlyEvaluations early) {
        this.tools = other.tools;
        this.workingDirectory = other.workingDirectory;
        this.buildTimeout = other.buildTimeout;
        this.queryTimeout = other.queryTimeout;
        this.storeDir = other.storeDir;
        this.closureRecords = records;
        this.early = early;
        this.system = other.system;
        this.databaseEnvironment = other.databaseEnvironment;
    }

    /** This Nix, keeping the closures it is asked for in {@code records} and answering from them while they hold. */
    public NixCli withClosureRecords(ClosureRecords records) {
        return new NixCli(this, records, early);
    }

    /**
     * Starts the evaluations {@code slot} records now, on this Nix (the caller closes them; {@link EarlyEvaluations}).
     */
    public EarlyEvaluations startEvaluations(EvaluationRecords.Slot slot) {
        return EarlyEvaluations.start(tools, buildTimeout, slot);
    }

    /** This Nix, taking the answer of an evaluation {@code early} started where it would run the same one. */
    public NixCli withEarlyEvaluations(EarlyEvaluations early) {
        return new NixCli(this, closureRecords, Objects.requireNonNull(early, "early"));
    }

    /** The Nix found on this process's PATH, with this process's environment. */
    public static NixCli create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Resolves a reference with no include args and no {@code --argstr}s. */
    public List<StorePath> resolve(PackageRef ref) {
        return resolve(ref, List.of(), Map.of());
    }

    /**
     * @param includes search-path entries, each passed as {@code -I ENTRY} (e.g. {@code nixpkgs=/src/nixpkgs})
     */
    public List<StorePath> resolve(PackageRef ref, List<String> includes) {
        return resolve(ref, includes, Map.of());
    }

    /**
     * Resolves a reference to its out paths, building with {@code nix-build} / {@code nix build} when needed.
     *
     * @param includes search-path entries for {@code nix-build}, each passed as {@code -I ENTRY}
     *                 (flakes and store paths do not use the search path; there they are ignored)
     * @param argStrs  function arguments for {@code nix-build} ({@code --argstr NAME VALUE}), for parameterised files
     * @throws NixNotFoundException if Nix is not installed
     * @throws NixInputException    with a one-line message if the reference names nothing (no such
     *                              attribute, file or store path)
     * @throws NixException         with a one-line message if Nix fails otherwise
     * @throws dev.distrolix.InputException for an include or {@code --argstr} that cannot apply
     */
    public List<StorePath> resolve(PackageRef ref, List<String> includes, Map<String, String> argStrs) {
        Objects.requireNonNull(ref, "ref");
        includes.forEach(this::checkInclude);
        if (ref instanceof PackageRef.StorePathRef s) {
            checkValid(s.path());
            return List.of(s.path());
        }
        if (ref instanceof PackageRef.Flake f) {
            if (!argStrs.isEmpty()) {
                throw new dev.distrolix.InputException("--argstr does not apply to flake " + f.ref());
            }
            return FlakeBuild.outPaths(tools, buildTimeout, f.ref());
        }
        Expression e = expression(ref);
        List<String> args = new ArrayList<>();
        args.add(e.file());
        e.attr().ifPresent(x -> args.addAll(List.of("-A", x)));
        args.add("--no-out-link");
        args.addAll(searchAndArgs(includes, argStrs));
        ProcessRunner.Result r = tools.run(buildTimeout, "nix-build", args);
        if (!r.ok()) {
            throw NixErrors.forBuild(r.command(), "nix-build", r.stderr(), e.file());
        }
        return OutPaths.fromLines("nix-build", r);
    }

    /**
     * The out path {@code nix-build} would print for {@code ref}, from evaluation alone ({@code nix-instantiate --eval}
     * of the value's {@code type} and {@code outPath}): no derivation is written to the store and nothing is built,
     * so the path may not be valid (yet); the caller checks, and {@link #resolve resolves} when it is not. nix-build
     * writes every derivation of a package's dependency graph to the store even when all are built (the JRE of the
     * test package set: 0.33 s against 0.09 s for the evaluation). Empty when evaluation cannot tell: a flake or a
     * store path, a value that is not one derivation (a list or a set of them), a content-addressed derivation (its
     * out path is known once built), or any error (which {@link #resolve} then reports in nix-build's words).
     */
    public Optional<StorePath> evaluatedOutPath(PackageRef ref, List<String> includes, Map<String, String> argStrs) {
        Objects.requireNonNull(ref, "ref");
        return evaluatedOutPaths(List.of(ref), includes, argStrs).map(paths -> paths.get(0));
    }

    /**
     * {@link #evaluatedOutPath} of several packages, in their order: one evaluation for all that come from the same
     * file (a package set's attributes: its files are read and parsed once; two from nixpkgs took 0.10 s against
     * 0.15 s for two evaluations), those of other files beside it. Empty when evaluation cannot tell any one.
     */
    public Optional<List<StorePath>> evaluatedOutPaths(List<? extends PackageRef> refs, List<String> includes,
                                                       Map<String, String> argStrs) {
        List<Expression> expressions = new ArrayList<>();
        try {
            includes.forEach(this::checkInclude);
            for (PackageRef ref : refs) {
                if (!(ref instanceof PackageRef.Attribute) && !(ref instanceof PackageRef.NixFile)) {
                    return Optional.empty();
                }
                expressions.add(expression(ref));
            }
        } catch (RuntimeException notHere) {
            return Optional.empty(); // a missing file or a bad include: resolve says which
        }
        try {
            return new OutPathEvaluation(args -> early.run(tools, buildTimeout, args), storeDir)
                    .outPaths(expressions, searchAndArgs(includes, argStrs));
        } finally {
            early.settle(); // those not taken end before the closure query reads Nix's database
        }
    }

    /** What nix-build and nix-instantiate are given for an attribute or a .nix file: the file and the attribute. */
    record Expression(String file, Optional<String> attr) {}

    private Expression expression(PackageRef ref) {
        if (ref instanceof PackageRef.Attribute a) {
            // nix-build looks '<…>' up in NIX_PATH and the -I entries
            String file = a.packageSet().isPresent() ? existing(a.packageSet().get(), "package set").toString() : "<nixpkgs>";
            return new Expression(file, Optional.of(a.attrPath()));
        }
        PackageRef.NixFile n = (PackageRef.NixFile) ref;
        return new Expression(existing(n.file(), "Nix file").toString(), n.attrPath());
    }

    private static List<String> searchAndArgs(List<String> includes, Map<String, String> argStrs) {
        List<String> args = new ArrayList<>();
        for (String include : includes) {
            args.addAll(List.of("-I", include));
        }
        new TreeMap<>(argStrs).forEach((k, v) -> args.addAll(List.of("--argstr", k, v)));
        return args;
    }

    /** Whether every one of {@code paths} is valid in the local store (one {@code nix-store --check-validity}). */
    public boolean allValid(Collection<StorePath> paths) {
        if (paths.isEmpty()) {
            return true;
        }
        List<String> args = new ArrayList<>(List.of("--check-validity"));
        paths.forEach(p -> args.add(p.fullPath()));
        return tools.run(queryTimeout, "nix-store", args).ok();
    }

    /**
     * Checks that a store path is valid in the local store.
     *
     * @throws NixInputException "store path … does not exist (or is not valid)"
     */
    public void checkValid(StorePath path) {
        ProcessRunner.Result r = tools.run(queryTimeout, "nix-store", List.of("--check-validity", path.fullPath()));
        if (!r.ok()) {
            String err = NixErrors.clean(r.stderr());
            if (err.contains("is not valid") || err.contains("not in the Nix store") || err.contains("No such file")) {
                throw new NixInputException(r.command(), NixErrors.invalidStorePath(path.fullPath()), r.stderr());
            }
            throw NixErrors.generic(r.command(), "nix-store --check-validity", r.stderr());
        }
    }

    /**
     * The closure of {@code roots} with NAR sizes, hashes and references: read from Nix's database where it is the
     * local store's and answers ({@link StoreDatabase}), else {@code nix path-info --json -r} (any JSON shape from
     * Nix 2.8 on, or a prepared {@code nix-store --serve}), falling back to {@code nix-store} queries when that fails;
     * with {@link #withClosureRecords records}, a recorded closure whose paths are all still the ones recorded first.
     */
    public Closure queryClosure(Collection<StorePath> roots) {
        Prepared taken;
        synchronized (this) {
            taken = prepared;
            prepared = null;
        }
        try {
            if (closureRecords == null) {
                return ask(roots, taken);
            }
            // with a query prepared, Nix's database as it was before that process opened it (and as it is again once
            // the process has ended): read now, the log it keeps open would be part of the stamp, and no record kept
            // would ever be believed
            String stamp = taken != null ? taken.stamp() : closureRecords.stamp();
            java.util.Optional<Closure> known = closureRecords.load(roots, stamp);
            if (known.isPresent()) {
                return known.get();
            }
            Closure c = ask(roots, taken);
            closureRecords.store(roots, c, stamp);
            return c;
        } finally {
            if (taken != null) {
                taken.close();
            }
        }
    }

    /**
     * Nix's database where it answers (the one {@code taken} opened beside the evaluation, else read here), else Nix
     * ({@code taken}'s query where one was prepared).
     */
    private Closure ask(Collection<StorePath> roots, Prepared taken) {
        StoreDatabase.Opening opened = taken != null ? taken.database() : null;
        Path db = opened != null ? opened.file() : taken == null ? usableDatabase() : null;
        if (db != null) {
            Optional<Closure> known = opened != null ? opened.closure(roots, storeDir)
                    : StoreDatabase.closure(db, roots, storeDir);
            if (known.isPresent()) {
                return known.get();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new NixException(List.of("sqlite", db.toString()), "the closure query was interrupted", "");
            }
        }
        return new ClosureQuery(tools, queryTimeout, storeDir).query(roots, taken != null ? taken.serve() : null);
    }

    /**
     * Nix's database where it is to be read, else null: never where this Nix has no {@code nix-store} (a machine
     * without Nix stays one, whatever database it holds).
     */
    private Path usableDatabase() {
        if (databaseEnvironment == null) {
            return null;
        }
        try {
            tools.locate("nix-store");
        } catch (NixNotFoundException noNix) {
            return null;
        }
        return StoreDatabase.usable(databaseEnvironment);
    }

    /** A closure query started before its roots are known: closed, it ends, asked or not. */
    public interface PreparedQuery extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts the next {@link #queryClosure}'s work now, so that it overlaps what names the roots (an evaluation):
     * opening Nix's database where it is read, else starting {@code nix-store --serve} (a cold build's closure query
     * then costs ~20 ms less). Not where the records are likely to answer (a warm build asks no Nix for its closure).
     */
    public PreparedQuery prepareClosureQuery() {
        if (closureRecords != null && !closureRecords.isEmpty()) {
            return () -> { };
        }
        String stamp = closureRecords != null ? closureRecords.stamp() : null;
        Path usable = usableDatabase();
        StoreDatabase.Opening db = usable == null ? null : StoreDatabase.Opening.start(usable);
        Prepared p = new Prepared(db == null ? NixServe.start(tools, queryTimeout) : null, db, stamp);
        synchronized (this) {
            if (prepared != null) {
                prepared.close();
            }
            prepared = p;
        }
        return () -> {
            synchronized (this) {
                if (prepared == p) {
                    prepared = null;
                }
            }
            p.close();
        };
    }

    /** The same, through {@code nix-store} only (exposed so that both paths can be compared). */
    Closure queryClosureWithNixStore(Collection<StorePath> roots) {
        ClosureQuery q = new ClosureQuery(tools, queryTimeout, storeDir);
        q.requireValid(roots);
        return q.withNixStore(roots);
    }

    /**
     * The {@code system} of the derivations that built {@code outputs} (by output path; an output whose
     * derivation is unknown, e.g. substituted without one, is left out): what a package was really evaluated
     * for, whatever was asked — an expression that ignores {@code system} builds the host's.
     */
    public Map<StorePath, String> derivationSystems(Collection<StorePath> outputs) {
        return derivationSystems(outputs, null);
    }

    /**
     * The same, read from the derivation files that {@code closure} names as the outputs' derivers (no Nix
     * process); Nix is asked only for the outputs whose derivation file cannot be read there.
     */
    public Map<StorePath, String> derivationSystems(Collection<StorePath> outputs, Closure closure) {
        Map<StorePath, String> systems = closure == null ? new java.util.LinkedHashMap<>()
                : DerivationFile.systemsOf(outputs, closure);
        List<StorePath> ask = outputs.stream().filter(o -> !systems.containsKey(o)).toList();
        systems.putAll(DerivationSystems.ask(tools, queryTimeout, ask));
        return systems;
    }

    /** Absolute path of one of the Nix tools as this instance finds it (e.g. "nix-build"). */
    public String locate(String tool) {
        return tools.locate(tool);
    }

    /** The system Nix builds for ({@code builtins.currentSystem}), with its OCI platform. Cached. */
    public NixSystem system() {
        NixSystem s = system;
        if (s == null) {
            s = NixSystem.parse(querySystem());
            system = s;
        }
        return s;
    }

    private String querySystem() {
        ProcessRunner.Result r = tools.run(queryTimeout, "nix-instantiate",
                List.of("--eval", "--expr", "builtins.currentSystem"));
        if (r.ok()) {
            return r.stdout().strip().replace("\"", "");
        }
        // nix-instantiate refusing to evaluate is odd; the configuration still says the system.
        ProcessRunner.Result c = tools.run(queryTimeout, "nix",
                List.of("show-config", "--extra-experimental-features", "nix-command"));
        if (c.ok()) {
            for (String line : c.stdout().split("\n")) {
                if (line.startsWith("system = ")) {
                    return line.substring("system = ".length()).strip();
                }
            }
        }
        throw NixErrors.generic(r.command(), "nix-instantiate --eval", r.stderr());
    }

    private Path existing(Path p, String what) {
        Path abs = workingDirectory.resolve(p).toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new NixInputException(List.of(), what + " " + abs + " does not exist", "");
        }
        String unfit = unfitForNix(abs);
        if (unfit != null) {
            throw new NixInputException(List.of(), what + " " + abs + " " + unfit, "");
        }
        return abs;
    }

    /**
     * Why Nix must not be handed {@code path}, an existing one (it opens what it is given and reads it whole: a pipe
     * would keep it waiting, a device reading without end), or null when it is a file or a folder.
     */
    public static String unfitForNix(Path path) {
        return Files.isRegularFile(path) || Files.isDirectory(path) ? null
                : "is neither a file nor a folder (Nix would wait on a pipe, or read a device without end)";
    }

    private void checkInclude(String include) {
        if (include == null || include.isBlank() || include.contains("\n")) {
            throw new dev.distrolix.InputException("-I: not a search path entry: '" + include + "'");
        }
        String path = include.substring(include.indexOf('=') + 1); // name=PATH, or PATH
        if (!path.isEmpty() && !path.contains(":")) { // a URL (https://, channel:, flake:) is Nix's to fetch
            Path abs = workingDirectory.resolve(path).toAbsolutePath().normalize();
            if (Files.exists(abs) && unfitForNix(abs) != null) {
                throw new dev.distrolix.InputException("-I " + include + ": " + abs + " " + unfitForNix(abs));
            }
        }
    }

    /** Configuration; every setting has a default matching how a user runs Nix in a shell. */
    public static final class Builder {
        private final Map<String, String> environment = new HashMap<>(System.getenv());
        private String searchPath = Objects.requireNonNullElse(System.getenv("PATH"), "");
        private Path binDir;
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private Duration buildTimeout = Duration.ofHours(1);
        private Duration queryTimeout = Duration.ofMinutes(5);
        private String storeDir = StorePath.DEFAULT_STORE_DIR;
        private boolean readStoreDatabase = true;

        private Builder() {}

        /**
         * Whether closures are read from Nix's database of the local store where it can be ({@link StoreDatabase}:
         * the same answer, without a Nix process); false: always ask Nix's commands. Default: true.
         */
        public Builder readStoreDatabase(boolean read) {
            this.readStoreDatabase = read;
            return this;
        }

        /** The PATH searched for the Nix tools and passed to them; "" simulates a machine without Nix. */
        public Builder searchPath(String path) {
            this.searchPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Take the Nix tools from this directory instead of searching PATH. */
        public Builder binDir(Path dir) {
            this.binDir = dir;
            return this;
        }

        /** NIX_PATH for evaluations ({@code <nixpkgs>} lookups); "" means none. Default: inherited. */
        public Builder nixPath(String nixPath) {
            return environment("NIX_PATH", nixPath);
        }

        /** Sets (or with {@code null} removes) one variable of the environment Nix runs in, e.g. NIX_CONFIG. */
        public Builder environment(String name, String value) {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
            return this;
        }

        /** Where relative files and flake refs such as {@code .#app} are resolved from. */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir.toAbsolutePath();
            return this;
        }

        public Builder buildTimeout(Duration timeout) {
            this.buildTimeout = requirePositive(timeout);
            return this;
        }

        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = requirePositive(timeout);
            return this;
        }

        /** Store directory for base names in path-info JSON that does not state it. */
        public Builder storeDir(String dir) {
            this.storeDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public NixCli build() {
            return new NixCli(this);
        }

        private static Duration requirePositive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            return d;
        }
    }
}
