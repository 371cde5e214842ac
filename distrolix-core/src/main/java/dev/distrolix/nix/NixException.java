package dev.distrolix.nix;

import dev.distrolix.ToolException;
import java.util.List;

/**
 * Nix itself failed (a build broke, a command timed out, printed something unexpected): a
 * {@link ToolException}, exit 1. The message is always one line that names the command; the full
 * stderr of the failing command (often a long build log) is kept in {@link #details()} so that a
 * verbose mode can show it without cluttering the normal error.
 *
 * <p>When the user's input is what is wrong (no such attribute, an invalid store path, a missing
 * Nix file) Nix's answer is a {@link NixInputException} instead (exit 3).
 */
public class NixException extends ToolException {
    private final String details;

    public NixException(List<String> command, String message, String details) {
        super(command, message);
        this.details = details == null ? "" : details;
    }

    public NixException(List<String> command, String message, Throwable cause) {
        super(command, message, cause);
        this.details = "";
    }

    /** The complete stderr of the command that failed, or "" when there was none. */
    public String details() {
        return details;
    }
}
