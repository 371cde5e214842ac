package dev.distrolix;

/**
 * Every error distrolix reports on purpose: a one-line message that says what and where, and the
 * exit code the CLI returns for it. Anything else that escapes (an {@link IllegalArgumentException},
 * a {@link NullPointerException}) is a bug and is reported as an internal error.
 */
public abstract class DistrolixException extends RuntimeException {
    /** Success. */
    public static final int EXIT_OK = 0;
    /** A tool, the disk, the network or a registry failed. */
    public static final int EXIT_FAILURE = 1;
    /** The command line is wrong. */
    public static final int EXIT_USAGE = 2;
    /** The user's input (a spec, an image, a path, a name) is wrong. */
    public static final int EXIT_INPUT = 3;
    /** An audit found what the policy fails on. */
    public static final int EXIT_FINDINGS = 4;

    protected DistrolixException(String message) {
        super(message);
    }

    protected DistrolixException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code the CLI returns for this error. */
    public abstract int exitCode();
}
