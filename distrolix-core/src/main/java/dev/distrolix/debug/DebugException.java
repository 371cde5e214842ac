package dev.distrolix.debug;

import dev.distrolix.ToolException;
import java.util.List;

/**
 * Debugging could not start or finish for a reason that is not the user's input: a tool (podman,
 * docker, kubectl) is missing, failed or answered something unexpected. A {@link ToolException},
 * exit 1; the command is kept when one was run.
 */
public class DebugException extends ToolException {
    public DebugException(String message) {
        super(List.of(), message);
    }

    public DebugException(String message, Throwable cause) {
        super(List.of(), message, cause);
    }

    public DebugException(List<String> command, String message) {
        super(command, message);
    }

    public DebugException(List<String> command, String message, Throwable cause) {
        super(command, message, cause);
    }
}
