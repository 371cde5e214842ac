package dev.distrolix.nix;

import dev.distrolix.DistrolixException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Nix's stderr into one line a user can act on. Nix's wording is matched loosely (it has been
 * stable for these messages from 2.8 to current releases); anything unrecognised falls back to
 * Nix's own first error line, so no failure is ever reported without a reason.
 */
final class NixErrors {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern ATTR_NOT_FOUND =
            Pattern.compile("attribute '([^']*)' in selection path '([^']*)' not found");
    private static final Pattern DID_YOU_MEAN = Pattern.compile("(?m)^\\s*Did you mean (.+?)\\?\\s*$");
    private static final Pattern NOT_IN_SEARCH_PATH =
            Pattern.compile("file '([^']*)' was not found in the Nix search path");
    private static final Pattern NOT_VALID = Pattern.compile("path '([^']*)' is not valid");
    private static final Pattern NO_SUCH_FILE =
            Pattern.compile("(?:getting status of|opening file) '([^']*)': No such file or directory");
    private static final Pattern UNKNOWN_FLAG = Pattern.compile("unrecognised flag '([^']*)'");

    static final String NO_PACKAGE_SET =
            "no package set: add 'nixpkgs:' to the spec, or set NIX_PATH / pass -I nixpkgs=PATH";

    private NixErrors() {}

    /** Nix 2.8: "a 'aarch64-linux' with features {} is required to build '…', but I am a 'x86_64-linux' …". */
    static final Pattern WRONG_SYSTEM = Pattern.compile(
            "a '([^']+)' with features \\{[^}]*\\} is required to build '[^']*', but I am a '([^']+)'");
    static final Pattern NO_SYSTEM_ARGUMENT = Pattern.compile("called with unexpected argument 'system'");

    /** The {@code -I NAME=PATH} argument of {@code argv} for {@code name}, or null (it gave none). */
    static String searchPathEntry(List<String> argv, String name) {
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-I") && argv.get(i + 1).startsWith(name + "=")) {
                return argv.get(i + 1);
            }
        }
        return null;
    }

    static String invalidStorePath(String path) {
        return "store path " + path + " does not exist (or is not valid)";
    }

    /**
     * The one-line message for a failed evaluation or build.
     *
     * @param argv           the command that failed
     * @param setDescription how to name the package set in "attribute … not found in …"
     * @return a {@link NixInputException} when the input is wrong, else a {@link NixException}
     */
    static DistrolixException forBuild(List<String> argv, String command, String stderr, String setDescription) {
        String err = clean(stderr);
        Matcher m = ATTR_NOT_FOUND.matcher(err);
        if (m.find()) {
            Matcher hint = DID_YOU_MEAN.matcher(err);
            String suffix = hint.find() ? " (did you mean " + hint.group(1) + "?)" : "";
            return new NixInputException(argv, "attribute '" + m.group(2) + "' not found in " + setDescription + suffix,
                    stderr);
        }
        m = NOT_IN_SEARCH_PATH.matcher(err);
        if (m.find()) {
            String named = searchPathEntry(argv, m.group(1));
            String msg = named != null ? "'<" + m.group(1) + ">' was not found: -I " + named + " names nothing there"
                    : m.group(1).equals("nixpkgs") ? NO_PACKAGE_SET
                    : "'<" + m.group(1) + ">' is not in the Nix search path: set NIX_PATH or pass -I "
                    + m.group(1) + "=PATH";
            return new NixInputException(argv, msg, stderr);
        }
        m = WRONG_SYSTEM.matcher(err);
        if (m.find()) {
            return new NixInputException(argv, "Nix cannot build for " + m.group(1) + " on this " + m.group(2)
                    + " machine: set extra-platforms = " + m.group(1) + " in nix.conf with emulation (qemu-user-static"
                    + " and binfmt_misc), or add a remote builder (builders = ssh://HOST " + m.group(1)
                    + "), or use a binary cache that has the paths", stderr);
        }
        m = NO_SYSTEM_ARGUMENT.matcher(err);
        if (m.find()) {
            return new NixInputException(argv, setDescription + " takes no 'system' argument, which system: and"
                    + " platforms: pass: add system ? builtins.currentSystem to its function's arguments", stderr);
        }
        m = NO_SUCH_FILE.matcher(err);
        if (m.find()) {
            return new NixInputException(argv, missingFile(m.group(1), System.getenv("TMPDIR")), stderr);
        }
        return generic(argv, command, stderr);
    }

    /**
     * A file Nix could not find: a Nix file the spec names, or the temporary folder Nix works in ({@code TMPDIR},
     * which a stale environment can name after it is gone).
     */
    static String missingFile(String path, String tmpdir) {
        if (tmpdir != null && !tmpdir.isEmpty() && path.equals(tmpdir.replaceAll("/+$", ""))) {
            return "the temporary folder " + path + " (TMPDIR) does not exist: Nix works there; create it or unset"
                    + " TMPDIR";
        }
        return "Nix file " + path + " does not exist";
    }

    /** For store queries: an invalid path becomes the standard message, anything else is generic. */
    static DistrolixException forQuery(List<String> argv, String command, String stderr) {
        Matcher m = NOT_VALID.matcher(clean(stderr));
        if (m.find()) {
            return new NixInputException(argv, invalidStorePath(m.group(1)), stderr);
        }
        return generic(argv, command, stderr);
    }

    static Optional<String> unknownFlag(String stderr) {
        Matcher m = UNKNOWN_FLAG.matcher(clean(stderr));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** "COMMAND failed: Nix's first error line" (the full stderr kept as the details). */
    static NixException generic(List<String> argv, String command, String stderr) {
        return new NixException(argv, command + " failed: " + firstError(stderr).orElse("no error message"), stderr);
    }

    /**
     * The first "error: …" line with text. Newer Nix prints a bare "error:" followed by a trace
     * and the real message last, also as "error: …" — skipping empty ones finds it in both styles.
     */
    static Optional<String> firstError(String stderr) {
        String fallback = null;
        for (String line : clean(stderr).split("\n")) {
            String t = line.strip();
            if (t.startsWith("error:")) {
                String text = t.substring("error:".length()).strip();
                if (text.endsWith(";")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (!text.isEmpty()) {
                    return Optional.of(text);
                }
            } else if (!t.isEmpty() && !t.startsWith("warning:")) {
                fallback = t;
            }
        }
        return Optional.ofNullable(fallback);
    }

    static String clean(String s) {
        return ANSI.matcher(s == null ? "" : s).replaceAll("").replace("\r", "");
    }
}
