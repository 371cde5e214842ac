package dev.distrolix.nix;

import dev.distrolix.InputException;
import java.util.List;

/**
 * Nix rejected the user's input: no such attribute, an invalid store path, a missing Nix file or
 * package set, a flake that does not exist. An {@link InputException} (exit 3) with a one-line
 * message; Nix's complete stderr is kept in {@link #details()}.
 */
public class NixInputException extends InputException {
    private final List<String> command;
    private final String details;

    public NixInputException(List<String> command, String message, String details) {
        super(message);
        this.command = List.copyOf(command);
        this.details = details == null ? "" : details;
    }

    /** The Nix command that said so (empty when the input was rejected before running one). */
    public List<String> command() {
        return command;
    }

    /** The complete stderr of the command, or "" when there was none. */
    public String details() {
        return details;
    }
}
