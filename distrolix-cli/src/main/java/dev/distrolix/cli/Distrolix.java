package dev.distrolix.cli;

import dev.distrolix.DistrolixException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The distrolix command line: a thin layer over distrolix-core. */
@Command(name = "distrolix",
        mixinStandardHelpOptions = true,
        versionProvider = Distrolix.Version.class,
        description = {
            "Builds distroless container images from Nix closures: the application's runtime closure, "
                + "the few files, users and directories its spec declares, and nothing else.",
            "",
            "Start with:  distrolix build examples/nginx/image.yaml -o oci:out/nginx"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure (a tool failed, an I/O error, a bug)",
            "2:usage error (unknown option, missing argument)",
            "3:input error (a bad spec, package, path or image)",
            "4:audit: findings at or above the --fail-on threshold; verify: not verified"
        })
public final class Distrolix {
    /** The help's width when stdout is not a terminal (tests, pipes, `man`-like captures). */
    static final int HELP_WIDTH = 80;
    public static final int EXIT_FAILURE = DistrolixException.EXIT_FAILURE;
    public static final int EXIT_USAGE = DistrolixException.EXIT_USAGE;
    public static final int EXIT_INPUT = DistrolixException.EXIT_INPUT;
    public static final int EXIT_FINDINGS = DistrolixException.EXIT_FINDINGS;

    /** Read by {@link ErrorHandler} from the parse result (given on any subcommand too); here for the help. */
    @Option(names = ErrorHandler.DEBUG_OPTION, scope = ScopeType.INHERIT,
            description = "On an error, also print the stack trace (as DISTROLIX_DEBUG=1 does).")
    boolean debug;

    /**
     * The subcommands, in the order the help lists them. Added to the command line when it is made, not
     * declared on the annotation: picocli reads every declared command's options by reflection on each
     * run, and a run uses one ({@link #commandsFor}).
     */
    static final java.util.Map<String, Class<?>> COMMANDS = commands();

    private static java.util.Map<String, Class<?>> commands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("build", BuildCommand.class);
        m.put("copy", CopyCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("audit", AuditCommand.class);
        m.put("compare", CompareCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("sbom", SbomCommand.class);
        m.put("why", WhyCommand.class);
        m.put("debug", DebugCommand.class);
        m.put("cache", CacheCommand.class);
        m.put("lock", LockCommand.class);
        m.put("keygen", KeygenCommand.class);
        m.put("sign", SignCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("doctor", DoctorCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The subcommands a run with {@code args} needs: the one it names (its first word that is not an option),
     * none for {@code --version}, all of them for anything else (the help lists them; a misspelt name gets
     * picocli's suggestions).
     */
    static java.util.Map<String, Class<?>> commandsFor(String... args) {
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-V") || a.equals("--version")) {
                return java.util.Map.of();
            }
            if (!a.startsWith("-")) {
                Class<?> c = COMMANDS.get(a);
                return c == null || a.equals("help") ? COMMANDS : java.util.Map.of(a, c);
            }
            if (!a.equals(ErrorHandler.DEBUG_OPTION)) {
                break; // another top-level option (-h, or a wrong one): picocli answers it with everything there
            }
        }
        return COMMANDS;
    }

    /** Whether System.in/out/err are this run's streams: child processes (the debug sidecar) may then use them directly. */
    final boolean realStdio;

    public Distrolix() {
        this(false);
    }

    Distrolix(boolean realStdio) {
        this.realStdio = realStdio;
    }

    public static void main(String[] args) {
        // picocli's default factory looks for Groovy's closure class when first used: a failing class lookup
        // through the whole class path; distrolix has no Groovy
        System.setProperty("picocli.disable.closures", "true");
        if (!commandsFor(args).isEmpty()) {
            EarlyInit.start(); // not for --version, which needs neither
        }
        int rc = run(args);
        if (rc == 0 || rc == 4) {
            ranThrough(System.getProperty("distrolix.launcher.failed"));
            String training = System.getProperty("distrolix.launcher.training");
            if (training != null) {
                trainArchive(args);
                readBackPushed(training);
                markPartial(System.getProperty("distrolix.launcher.partial"), args);
            }
        }
        if (rc == 0 && onlyDaemonsLeft()) {
            // the JVM ends as main returns, shutdown hooks run: System.exit would first look up the JDK's logger
            // for "java.lang.Runtime" (JDK 21+), which sets up java.util.logging (--version 0.055 -> 0.038 s)
            return;
        }
        System.exit(rc);
    }

    /**
     * Removes the marker {@code bin/distrolix} left when a run of this kind failed while it recorded a start-up
     * archive (it names the marker only then, and execs this JVM): this run ran through, so the next records.
     * Only a file named {@code *.failed} is removed; best effort.
     */
    static void ranThrough(String marker) {
        if (marker == null || !marker.endsWith(".failed")) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(marker));
        } catch (java.io.IOException | RuntimeException ignored) {
            // the next run finds it and runs without recording once more
        }
    }

    /**
     * In a run that records a start-up archive ({@code bin/distrolix} names this property then): after a command
     * that reads a spec, {@link dev.distrolix.build.ArchiveTraining} reads one that uses every kind of declaration,
     * so that the archive serves other specs than this run's too. Best effort, silent: the run's own work is done.
     * Whether it ran.
     */
    static boolean trainArchive(String... args) {
        if (args.length == 0 || !(args[0].equals("build") || args[0].equals("lock"))) {
            return false;
        }
        java.nio.file.Path dir = null;
        try {
            dir = dev.distrolix.TempFiles.createTempDirectory("training");
            dev.distrolix.build.ArchiveTraining.run(dir);
            return true;
        } catch (java.io.IOException | RuntimeException ignored) {
            return false; // an archive without them still serves this run's kind
        } finally {
            try {
                dev.distrolix.FileTrees.deleteTree(dir);
            } catch (java.io.IOException | RuntimeException ignored) {
                // its name says whose it was: a later run sweeps it (TempFiles.sweepTempDirectory)
            }
        }
    }

    /**
     * In a run that records the archive of builds to a registry from an empty layer cache ({@code bin/distrolix}
     * names the kind, {@code -fetch}, in the training property): when this build took no layer from the registry
     * (its target's tag was absent: a first push), reads back the image it pushed as the next such build reads the
     * previous image ({@link dev.distrolix.build.ArchiveTraining#readBack}). Best effort, silent. Whether it read
     * one.
     */
    static boolean readBackPushed(String trainingKind) {
        BuildCommand.PushedImage pushed = BuildCommand.pushedWithoutFetch;
        if (pushed == null || !trainingKind.contains("-fetch")) {
            return false;
        }
        try {
            return dev.distrolix.build.ArchiveTraining.readBack(pushed.ref(), pushed.settings()) >= 0;
        } catch (RuntimeException ignored) {
            return false; // the archive still serves this run's kind, without that read's classes
        }
    }

    /**
     * In a run that records a start-up archive: leaves {@code marker} (named by {@code bin/distrolix}, a
     * {@code *.partial} file) when this run was a build that made no layer ({@link BuildCommand#madeNoLayer}), so
     * that the next run of its kind records again. Best effort. Whether it left one.
     */
    static boolean markPartial(String marker, String... args) {
        if (marker == null || !marker.endsWith(".partial") || args.length == 0 || !args[0].equals("build")
                || !BuildCommand.madeNoLayer) {
            return false;
        }
        try {
            java.nio.file.Files.newOutputStream(java.nio.file.Path.of(marker)).close();
            return true;
        } catch (java.io.IOException | RuntimeException ignored) {
            return false; // the archive is kept as it is: it still serves this run's kind
        }
    }

    /** Whether every thread this run started (each in main's group) is a daemon: none would keep the JVM up. */
    private static boolean onlyDaemonsLeft() {
        Thread[] threads = new Thread[Thread.activeCount() + 8];
        int n = Thread.enumerate(threads);
        if (n == threads.length) {
            return false; // more than were counted: not worth a second look
        }
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Runs the CLI in-process and returns its exit code. */
    public static int run(String... args) {
        return run(true, reportWriter(System.out), new java.io.PrintWriter(System.err, true), args);
    }

    /** Standard output as commands print to it: reports quote images and registries, whose control characters are shown as '?'. */
    private static java.io.PrintWriter reportWriter(java.io.OutputStream out) {
        return new java.io.PrintWriter(new java.io.BufferedWriter(
                new TerminalSafeWriter(new java.io.OutputStreamWriter(out), false)), true);
    }

    /**
     * Whether this run's stdin and stdout are a terminal (then progress is drawn in place): {@link System#console()}
     * in a JVM of the run's own; what the client said in the resident JVM ({@link #run(java.io.PrintStream,
     * java.io.PrintStream, boolean, String...)}), whose own streams are not the run's.
     */
    static boolean console() {
        Boolean c = CONSOLE.get();
        return c != null ? c : System.console() != null;
    }

    private static final ThreadLocal<Boolean> CONSOLE = new ThreadLocal<>();

    /** Made ready once by the resident JVM ({@code dev.distrolix.cli.resident}), as {@link #main} does for a run. */
    public static void prepareResident() {
        System.setProperty("picocli.disable.closures", "true");
        EarlyInit.start();
        dev.distrolix.nix.SpareEvaluations.enable(); // a later build's Nix starts between runs
    }

    /**
     * Runs the CLI in the resident JVM for a client whose stdout and stderr are {@code out} and {@code err}, and
     * whose stdin and stdout are a terminal when {@code console}: as {@link #run(String...)} runs it in a JVM of
     * its own, but for what the launcher asks of that JVM alone (start-up archives' training).
     */
    public static int run(java.io.PrintStream out, java.io.PrintStream err, boolean console, String... args) {
        java.io.PrintWriter o = reportWriter(out);
        dev.distrolix.blob.RecordKey.user().forget(); // the key file may have been replaced since the last run
        CONSOLE.set(console);
        try {
            return run(true, false, o, new java.io.PrintWriter(err, true), args);
        } finally {
            CONSOLE.remove();
            o.flush();
            BuildCommand.pushedWithoutFetch = null; // its settings may hold credentials; only a launcher's run reads it
        }
    }

    /** Whether the last run ended in an Error (reported as exit 1): a resident JVM then serves no more. Clears it. */
    public static boolean endedInError() {
        boolean e = endedInError;
        endedInError = false;
        return e;
    }

    private static volatile boolean endedInError;

    /** Runs the CLI in-process with the given streams; tests call this. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return run(false, out, err, args);
    }

    static int run(boolean realStdio, java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return run(realStdio, realStdio, out, err, args);
    }

    /**
     * {@code plainHelp}: the help without picocli's bold and underlines (a terminal's stdout shows no control
     * characters); {@code realStdio}: System.in/out/err are the run's own (not in the resident JVM).
     */
    private static int run(boolean plainHelp, boolean realStdio, java.io.PrintWriter out, java.io.PrintWriter err,
            String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the line picocli would print, without building a command line: picocli reads its annotations by
            // reflection, and the JDK makes a proxy class for each annotation type (~60 ms of a 0.2 s run)
            out.println(Version.line());
            out.flush();
            return 0;
        }
        CommandLine cl = commandLine(realStdio, commandsFor(args));
        // every command's help: 80 columns, or the terminal's width when there is one (never narrower than
        // picocli's 55); prose is one string per paragraph, wrapped once, by picocli
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        withVersion(cl); // -V on a subcommand too (picocli gives subcommands no version of their own)
        if (plainHelp) {
            // standard output shows no control characters (above): help without picocli's bold and underlines
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("distrolix: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            endedInError = true;
            err.println("distrolix: out of memory (" + e.getMessage() + "); give the JVM more with DISTROLIX_JAVA_OPTS=-Xmx…");
            err.flush();
            return dev.distrolix.DistrolixException.EXIT_FAILURE;
        } catch (Error e) {
            endedInError = true;
            // picocli hands only Exceptions to the handler; an Error (a native library that cannot load, a
            // class missing from a broken install) is still one line, the trace with --debug
            boolean debug = System.getenv(ErrorHandler.DEBUG_VARIABLE) != null
                    || java.util.Arrays.asList(args).contains(ErrorHandler.DEBUG_OPTION);
            ErrorHandler.printInternalError(err, e, debug);
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return dev.distrolix.DistrolixException.EXIT_FAILURE;
        }
    }

    /** The whole command line, every subcommand in it. */
    static CommandLine commandLine() {
        return commandLine(false, COMMANDS);
    }

    /**
     * The command line of {@code commands}, built by {@link CommandModels}: the models picocli would read from the
     * annotations by reflection (~90 ms of every run: the JDK makes a proxy class for each annotation type), written
     * as code when distrolix is compiled. picocli's own {@code help} command is still read by reflection (its fields
     * are picocli's, private); only the help and a misspelt command load it.
     */
    private static CommandLine commandLine(boolean realStdio, java.util.Map<String, Class<?>> commands) {
        Distrolix root = new Distrolix(realStdio);
        CommandLine cl = CommandModels.commandLine(root, null);
        commands.forEach((name, type) -> {
            Object command = CommandModels.newCommand(type);
            cl.addSubcommand(name, command == null ? type : CommandModels.commandLine(command, root));
        });
        // picocli converts a Path through reflection (Paths.get, for Java 5), which makes the JVM generate method
        // handle classes at the first option of that type, classes no start-up archive keeps (~3 ms)
        cl.registerConverter(java.nio.file.Path.class, java.nio.file.Path::of);
        return cl;
    }

    private static void withVersion(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) {
                sub.getCommandSpec().versionProvider(new Version());
            }
            withVersion(sub);
        }
    }

    /**
     * {@code distrolix 0.1.0-SNAPSHOT (git 1a2b3c4)}: the Maven version and the commit it was built from
     * ("unknown" outside a git checkout), both written by the build into {@link BuildInfo}.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }

        static String line() {
            return "distrolix " + BuildInfo.VERSION + " (git " + BuildInfo.GIT + ")";
        }
    }
}
