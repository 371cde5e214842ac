package dev.distrolix.nix;

import dev.distrolix.FileIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * In a resident JVM, a {@code nix-instantiate --eval --strict -} started after a build for the next one: Nix's own
 * start (its libraries linked, its settings read, the store opened: ~45 ms of the ~0.1 s an evaluation of out paths
 * takes here) is then paid while the JVM waits between runs, and the next build's evaluation only evaluates. A spare
 * holds no answer: it waits for its expression on standard input, and is used once.
 *
 * <p>A spare answers {@code nix-instantiate --eval FILE -A P.type -A P.outPath … [-I ENTRY]…} (what
 * {@link OutPathEvaluation} runs) only where it gives exactly what that command would: started with the same
 * executable (unchanged), search path, environment and folder, Nix's settings files unchanged since it started, the
 * file absolute or {@code <NAME>}, each attribute path plain names (no list index, no quoting, no
 * {@code --argstr}), and every value a string of plain characters. Its expression imports the file and selects as
 * {@code -A} does, calling a function on the way as Nix calls one with no arguments given (a function whose
 * arguments all have defaults; where Nix's call cannot be told apart, as for {@code {}:} against {@code x:}, or
 * for a functor, it fails). Anything else, and any failure, and the command runs as it always did, so a spare can
 * at worst cost its start.
 *
 * <p>Only a JVM that calls {@link #enable} keeps spares (one at a time, for the last evaluation asked); a JVM a run
 * has no later build to start one for. Each spare is a Nix process of ~25 MB waiting; it ends with the JVM (its
 * input closed: {@link ProcessRunner}), or when the next evaluation is another.
 */
public final class SpareEvaluations {
    /** A plain attribute name: what {@code -A} and an expression's {@code .name} read alike. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_'-]*");
    /** A search-path file as {@code nix-instantiate} takes it and a Nix expression can say it unquoted. */
    private static final Pattern LOOKUP = Pattern.compile("<[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*>");
    private static final Pattern ABSOLUTE = Pattern.compile("(/[A-Za-z0-9._+-]+)+");
    /** A value printed as a string of no characters Nix escapes. */
    private static final Pattern PLAIN_STRING = Pattern.compile("\"[^\"\\\\\\s$]*\"");
    /** How many levels of {@code include} in Nix's settings files are stamped; deeper, no spare is used. */
    private static final int MAX_INCLUDE_DEPTH = 4;

    private static final Object LOCK = new Object();
    private static boolean enabled;
    /** What the last evaluation asked: the next spare's. */
    private static Key wanted;
    private static Spare held;
    /** How many answers spares gave. */
    private static long taken;

    private SpareEvaluations() {
    }

    /** How a spare is started: what an evaluation must ask for to use it. */
    record Key(List<String> command, Map<String, String> environment, Path directory) {}

    /** A started spare, and its {@link #stamp} from before it started (the same at use, or it is not used). */
    private record Spare(Key key, String stamp, ProcessRunner.Pending process) {}

    /** This JVM keeps a spare for its next build ({@link #refill} starts it). */
    public static void enable() {
        synchronized (LOCK) {
            enabled = true;
        }
    }

    /** This JVM keeps no spare any more; the one held ends. */
    static void disable() {
        synchronized (LOCK) {
            enabled = false;
            wanted = null;
        }
        retire();
    }

    /** How many answers spares gave in this JVM. */
    static long taken() {
        synchronized (LOCK) {
            return taken;
        }
    }

    /** Starts a spare for the last evaluation asked, where there is none; nothing where none was asked. */
    public static void refill() {
        Key want;
        synchronized (LOCK) {
            if (!enabled || held != null || wanted == null) {
                return;
            }
            want = wanted;
        }
        // the stamp before Nix starts: a change after it, before Nix reads its settings, then differs at use
        String stamp = stamp(want.command().get(0), want.environment());
        if (stamp == null) {
            return;
        }
        ProcessRunner.Pending p;
        try {
            p = new ProcessRunner(want.environment(), want.directory()).startPending(want.command());
        } catch (RuntimeException cannot) {
            return; // the next build runs Nix itself, and says what is wrong
        }
        Spare retired = null;
        synchronized (LOCK) {
            if (enabled && held == null) {
                held = new Spare(want, stamp, p);
            } else {
                retired = new Spare(want, stamp, p);
            }
        }
        if (retired != null) {
            retired.process().retire();
        }
    }

    /** Ends the spare held, if any (it exits by itself). */
    public static void retire() {
        Spare s;
        synchronized (LOCK) {
            s = held;
            held = null;
        }
        if (s != null) {
            s.process().retire();
        }
    }

    /**
     * What {@code nix-instantiate args} would answer (with {@code tools}, within {@code timeout}), from the spare
     * held; empty where no spare can say it (then the command runs). Remembers these arguments for the next spare.
     */
    static Optional<ProcessRunner.Result> answer(NixTools tools, Duration timeout, List<String> args) {
        synchronized (LOCK) {
            if (!enabled) {
                return Optional.empty();
            }
        }
        Optional<Request> request = Request.of(args);
        if (request.isEmpty()) {
            return Optional.empty();
        }
        String exe;
        try {
            exe = tools.locate("nix-instantiate");
        } catch (RuntimeException notFound) {
            return Optional.empty(); // the command's run says so
        }
        ProcessRunner runner = tools.runner();
        List<String> command = new ArrayList<>(List.of(exe, "--eval", "--strict"));
        command.addAll(request.get().search());
        command.add("-");
        Key want = new Key(List.copyOf(command), runner.environment(), runner.workingDirectory());
        Spare s;
        synchronized (LOCK) {
            wanted = want;
            s = held;
            held = null;
        }
        if (s == null) {
            return Optional.empty();
        }
        if (!s.key().equals(want) || !s.stamp().equals(stamp(exe, want.environment())) || !s.process().isAlive()) {
            s.process().retire();
            return Optional.empty();
        }
        ProcessRunner.Result r;
        try {
            r = s.process().finish(request.get().expression().getBytes(StandardCharsets.UTF_8), timeout);
        } catch (NixException failed) {
            if (Thread.currentThread().isInterrupted()) {
                throw failed; // the build is stopping: no second run
            }
            return Optional.empty();
        }
        List<String> values = r.ok() ? printedList(r.stdout(), request.get().values()) : null;
        if (values == null) {
            return Optional.empty();
        }
        synchronized (LOCK) {
            taken++;
        }
        List<String> ordinary = new ArrayList<>(List.of(exe));
        ordinary.addAll(args);
        return Optional.of(new ProcessRunner.Result(List.copyOf(ordinary), 0, String.join("\n", values) + "\n",
                r.stderr()));
    }

    /** The strings of a printed list of {@code n} plain strings, each as {@code nix-instantiate} prints one; else null. */
    static List<String> printedList(String stdout, int n) {
        String s = stdout.strip();
        if (!s.startsWith("[ ") || !s.endsWith(" ]") || s.indexOf('\n') >= 0) {
            return null;
        }
        String inner = s.substring(2, s.length() - 2);
        String[] items = inner.split(" ", -1);
        if (items.length != n) {
            return null;
        }
        for (String item : items) {
            if (!PLAIN_STRING.matcher(item).matches()) {
                return null; // not a string (printed as null: not one), or one Nix escapes
            }
        }
        return List.of(items);
    }

    /** An evaluation a spare can answer: its search path, its expression and how many values it prints. */
    record Request(List<String> search, String expression, int values) {
        static Optional<Request> of(List<String> args) {
            if (args.size() < 4 || !args.get(0).equals("--eval")) {
                return Optional.empty();
            }
            String file = args.get(1);
            String root;
            if (LOOKUP.matcher(file).matches()) {
                root = file;
            } else if (ABSOLUTE.matcher(file).matches() && !file.contains("/./") && !file.contains("/../")
                    && !file.endsWith("/.") && !file.endsWith("/..")) {
                root = "/. + \"" + file + "\"";
            } else {
                return Optional.empty();
            }
            List<List<String>> paths = new ArrayList<>();
            List<String> search = new ArrayList<>();
            for (int i = 2; i < args.size(); i += 2) {
                if (i + 1 >= args.size()) {
                    return Optional.empty();
                }
                String flag = args.get(i);
                String value = args.get(i + 1);
                if (flag.equals("-A") && search.isEmpty()) {
                    List<String> names = List.of(value.split("\\.", -1));
                    if (names.stream().anyMatch(n -> !NAME.matcher(n).matches())) {
                        return Optional.empty();
                    }
                    paths.add(names);
                } else if (flag.equals("-I")) {
                    search.addAll(List.of(flag, value));
                } else {
                    return Optional.empty(); // --argstr: arguments Nix would call functions with
                }
            }
            if (paths.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder e = new StringBuilder("""
                    let
                      call = v: if builtins.isAttrs v then (if v ? __functor then throw "distrolix: a functor" else v)
                        else if builtins.isFunction v then
                          (let a = builtins.functionArgs v; in
                            if a != { } && builtins.all (d: d) (builtins.attrValues a) then v { }
                            else throw "distrolix: not a call with no arguments")
                        else v;
                      get = v: names: if names == [ ] then v else get (call v).${builtins.head names} (builtins.tail names);
                      str = v: if builtins.isString v then v else null;
                      root = import (""").append(root).append("""
                    );
                    in [""");
            for (List<String> names : paths) {
                e.append(" (str (get root [");
                names.forEach(n -> e.append(" \"").append(n).append('"'));
                e.append(" ]))");
            }
            e.append(" ]\n");
            return Optional.of(new Request(List.copyOf(search), e.toString(), paths.size()));
        }
    }

    /**
     * What Nix's start depends on besides its arguments, environment and folder: the executable (links followed) and
     * the settings files it reads, with those they include; null where one cannot be read.
     */
    static String stamp(String exe, Map<String, String> env) {
        StringBuilder s = new StringBuilder(String.valueOf(FileIdentity.orNull(Path.of(exe)))).append('\n');
        String home = env.getOrDefault("HOME", "");
        List<Path> files = new ArrayList<>(NixSettings.files(env, home.isEmpty() ? null : Path.of(home)));
        for (String var : List.of("NIX_USER_CONF_FILES", "XDG_CONFIG_DIRS")) {
            String value = env.getOrDefault(var, var.equals("XDG_CONFIG_DIRS") ? "/etc/xdg" : "");
            for (String entry : value.split(":")) {
                if (!entry.isEmpty()) {
                    files.add(var.equals("XDG_CONFIG_DIRS") ? Path.of(entry, "nix", "nix.conf") : Path.of(entry));
                }
            }
        }
        for (Path f : files) {
            if (!stampFile(f, 0, s)) {
                return null;
            }
        }
        return s.toString();
    }

    private static boolean stampFile(Path file, int depth, StringBuilder s) {
        if (depth > MAX_INCLUDE_DEPTH) {
            return false;
        }
        String text;
        try {
            text = NixSettings.read(file);
        } catch (java.io.IOException | RuntimeException unreadable) {
            return false;
        }
        s.append(file).append(' ').append(text == null ? "none" : FileIdentity.orNull(file)).append('\n');
        if (text == null) {
            return true;
        }
        List<Path> included = new ArrayList<>();
        NixSettings.parse(text, (name, value) -> {
            if (name.equals("include") || name.equals("!include")) {
                included.add(file.resolveSibling(value));
            }
        });
        for (Path i : included) {
            if (!stampFile(i, depth + 1, s)) {
                return false;
            }
        }
        return true;
    }
}
