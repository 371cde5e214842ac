package dev.distrolix.cli;

import dev.distrolix.InputException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Turns exceptions into one line on stderr and the documented exit codes; stack traces only with DISTROLIX_DEBUG. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        cl.getErr().println("distrolix: " + msg.lines().findFirst().orElse(msg));
        if (System.getenv("DISTROLIX_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        if (isInputError(t)) {
            return Distrolix.EXIT_INPUT;
        }
        return Distrolix.EXIT_FAILURE;
    }

    static boolean isInputError(Throwable t) {
        if (t instanceof dev.distrolix.nix.NixNotFoundException) {
            return false; // the machine lacks a tool: not the user's input
        }
        return t instanceof InputException || t instanceof IllegalArgumentException
                || t instanceof dev.distrolix.spec.SpecException
                || (t instanceof dev.distrolix.nix.NixException n && n.isInputError());
    }
}
