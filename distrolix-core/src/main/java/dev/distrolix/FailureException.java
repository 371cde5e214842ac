package dev.distrolix;

/**
 * Something outside the user's input failed — the disk, an output, the network — with a one-line
 * message naming what; exit {@link #EXIT_FAILURE}.
 */
public class FailureException extends DistrolixException {
    public FailureException(String message) {
        super(message);
    }

    public FailureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return EXIT_FAILURE;
    }
}
