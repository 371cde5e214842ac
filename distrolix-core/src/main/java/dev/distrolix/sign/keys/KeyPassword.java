package dev.distrolix.sign.keys;

import dev.distrolix.InputException;
import java.io.Console;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A private key's password, found as cosign finds it: the {@value #ENV} environment variable (set to the
 * empty string for a key without password), else a prompt on the terminal, else an error — never a
 * silent empty password. Close it to wipe the characters.
 */
public final class KeyPassword implements AutoCloseable {
    public static final String ENV = "COSIGN_PASSWORD";

    /** Reads a password without echo; {@code null} at the end of input. */
    @FunctionalInterface
    public interface Prompter {
        char[] readPassword(String prompt);

        /** The process's terminal, or {@code null} when it has none (stdin or stdout redirected). */
        static Prompter console() {
            Console console = System.console();
            return console == null ? null : prompt -> console.readPassword("%s", prompt);
        }
    }

    private final char[] chars;

    private KeyPassword(char[] chars) {
        this.chars = chars;
    }

    /** A copy of {@code chars} (wipe yours). */
    public static KeyPassword of(char[] chars) {
        return new KeyPassword(chars.clone());
    }

    /** The password of an existing key, from {@value #ENV} or the terminal. */
    public static KeyPassword forReading() {
        return read(System::getenv, Prompter.console(), false);
    }

    /** The password for a new key, from {@value #ENV} or the terminal (typed twice). */
    public static KeyPassword forNewKey() {
        return read(System::getenv, Prompter.console(), true);
    }

    /**
     * The password from {@code env}'s {@value #ENV}, else from {@code prompter} (asked twice when
     * {@code confirm}, as cosign does for a new key), else an {@link InputException}.
     *
     * @param prompter {@code null} when there is no terminal
     */
    public static KeyPassword read(Function<String, String> env, Prompter prompter, boolean confirm) {
        String value = env.apply(ENV);
        if (value != null) {
            // "" is the empty password, which is legal; the environment's String itself cannot be wiped
            return new KeyPassword(value.toCharArray());
        }
        if (prompter == null) {
            throw new InputException(ENV + " is not set: set it to the key's password (empty for none)");
        }
        char[] first = prompt(prompter, "Enter password for private key: ");
        if (!confirm) {
            return new KeyPassword(first);
        }
        char[] second = prompt(prompter, "Enter password for private key again: ");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new InputException("the two passwords do not match");
            }
            return new KeyPassword(first);
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    private static char[] prompt(Prompter prompter, String prompt) {
        char[] typed = prompter.readPassword(prompt);
        if (typed == null) {
            throw new InputException("no password given (end of input at the password prompt)");
        }
        return typed;
    }

    /** The characters themselves (not a copy): valid until {@link #close}. */
    public char[] chars() {
        return chars;
    }

    /** Wipes the characters. */
    @Override
    public void close() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return "KeyPassword[hidden]"; // never the password
    }
}
