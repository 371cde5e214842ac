package dev.distrolix.nix;

/**
 * Talking to the installed Nix failed. The message is always one line that a user can act on;
 * the full stderr of the failing command (often a long build log) is kept in {@link #details()}
 * so that a verbose mode can show it without cluttering the normal error.
 */
public class NixException extends RuntimeException {
    private final boolean inputError;
    private final String details;

    public NixException(String message, boolean inputError, String details) {
        super(message);
        this.inputError = inputError;
        this.details = details == null ? "" : details;
    }

    public NixException(String message, Throwable cause) {
        super(message, cause);
        this.inputError = false;
        this.details = "";
    }

    /** True when the user's input is wrong (no such attribute, invalid store path), false when Nix itself failed. */
    public boolean isInputError() {
        return inputError;
    }

    /** The complete stderr of the command that failed, or "" when there was none. */
    public String details() {
        return details;
    }
}
