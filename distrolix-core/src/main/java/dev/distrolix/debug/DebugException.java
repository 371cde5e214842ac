package dev.distrolix.debug;

/** Debugging could not start or finish for a reason that is not the user's input (a tool missing or failing). */
public class DebugException extends RuntimeException {
    public DebugException(String message) {
        super(message);
    }

    public DebugException(String message, Throwable cause) {
        super(message, cause);
    }
}
