package dev.distrolix;

import java.util.List;

/**
 * A program distrolix runs (nix, podman, docker, kubectl, skopeo) failed or is missing. The
 * message names the command and ends with the tail of its stderr; exit {@link #EXIT_FAILURE}.
 */
public class ToolException extends DistrolixException {
    private final List<String> command;

    public ToolException(List<String> command, String message) {
        super(message);
        this.command = List.copyOf(command);
    }

    public ToolException(List<String> command, String message, Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(command);
    }

    /** The argv that failed (empty when no process was started). */
    public List<String> command() {
        return command;
    }

    @Override
    public int exitCode() {
        return EXIT_FAILURE;
    }

    /** The last {@code lines} non-blank lines of a tool's stderr, joined with " | " for one line. */
    public static String tail(String stderr, int lines) {
        if (stderr == null) {
            return "";
        }
        List<String> all = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
