package dev.distrolix.cli;

import dev.distrolix.DistrolixException;
import dev.distrolix.ToolException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Set;
import picocli.CommandLine;

/**
 * Turns exceptions into one line on stderr and the documented exit codes, by type:
 * <ul>
 *   <li>a {@link DistrolixException}: its {@link DistrolixException#exitCode() exit code} and its
 *       one-line message ({@code distrolix: MESSAGE}) — input errors 3, tool, registry and other
 *       failures 1;</li>
 *   <li>any other {@link IOException} (also inside an {@link UncheckedIOException}): exit 1, one line;</li>
 *   <li>anything else ({@link IllegalArgumentException}, {@link NullPointerException}, any other
 *       {@link RuntimeException}) is a bug: exit 1 with {@code distrolix: internal error: CLASS: MESSAGE}.</li>
 * </ul>
 * Stack traces only with {@code --debug} (or the DISTROLIX_DEBUG environment variable).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final String DEBUG_OPTION = "--debug";
    static final String DEBUG_VARIABLE = "DISTROLIX_DEBUG";

    private final boolean debugFromEnvironment;

    ErrorHandler() {
        this(System.getenv(DEBUG_VARIABLE) != null);
    }

    ErrorHandler(boolean debugFromEnvironment) {
        this.debugFromEnvironment = debugFromEnvironment;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        boolean debug = debugFromEnvironment || debugRequested(parseResult);
        PrintWriter err = cl.getErr();
        Throwable t = ex;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        int code;
        if (t instanceof DistrolixException d) {
            err.println("distrolix: " + firstLine(d));
            if (debug && d instanceof ToolException tool && !tool.command().isEmpty()) {
                err.println("distrolix: command: " + String.join(" ", tool.command()));
            }
            code = d.exitCode();
        } else if (t instanceof IOException) {
            err.println("distrolix: " + firstLine(t));
            code = DistrolixException.EXIT_FAILURE;
        } else {
            printInternalError(err, t, debug);
            code = DistrolixException.EXIT_FAILURE;
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The one line for a bug: any throwable that is no expected failure (the trace follows with --debug). */
    static void printInternalError(PrintWriter err, Throwable t, boolean debug) {
        String m = t.getMessage() == null ? "" : ": " + firstLine(t);
        err.println("distrolix: internal error: " + t.getClass().getName() + m
                + (debug ? "" : " (run with " + DEBUG_OPTION + " for the trace)"));
    }

    /** Whether {@code --debug} was given, on the top-level command or on any subcommand (it is inherited). */
    static boolean debugRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(DEBUG_OPTION)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // messages quote registries and images (a header, a name): no control character reaches the terminal
        return TerminalSafeWriter.masked(msg.lines().findFirst().orElse(msg));
    }
}
