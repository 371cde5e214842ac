package dev.distrolix;

/**
 * The user's input is wrong (a spec, an image, a path, a name): the message is one line that says
 * what and where, and the CLI exits with the "input error" code rather than "failure".
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
