package dev.distrolix;

/**
 * The user's input is wrong (a spec, an image, a layer, a path, a name): the message is one line
 * that says what and where, and the CLI exits with {@link #EXIT_INPUT}.
 */
public class InputException extends DistrolixException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return EXIT_INPUT;
    }
}
