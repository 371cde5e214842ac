package dev.distrolix.sign;

import dev.distrolix.InputException;
import dev.distrolix.Background;
import dev.distrolix.sign.keys.CosignKeys;
import dev.distrolix.sign.keys.KeyPassword;
import dev.distrolix.sign.keys.PrivateKeyFile;
import dev.distrolix.sign.keys.PublicKeyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.function.Function;

/**
 * Keys named the way the CLI takes them: a file path, or {@code env://NAME} for the PEM text in an
 * environment variable (CI secrets). The password comes from {@link KeyPassword}, never an argument.
 */
public final class SigningKeys {
    static final String ENV_PREFIX = "env://";

    private SigningKeys() {}

    /** A signer from a cosign private key; the password from COSIGN_PASSWORD or the terminal. */
    public static Signer signer(String keyRef, Function<String, String> env) {
        return load(keyRef, env, password(env));
    }

    /**
     * {@link #signer} with scrypt and the decryption on a thread of their own, started at once (~0.3 s, and the
     * build needs the key only when its image is written); {@code get()} waits and throws what loading threw.
     * The password is read here, on the caller's thread: a prompt must not race the progress display.
     */
    public static java.util.function.Supplier<Signer> signerInBackground(String keyRef, Function<String, String> env) {
        char[] password = password(env);
        Background<Signer> loading = Background.start("distrolix-signing-key", () -> load(keyRef, env, password));
        return () -> {
            try {
                return loading.join();
            } catch (java.io.IOException | java.util.concurrent.CancellationException e) {
                // only an interruption (of this waiter, or of another that gave up): loading throws no I/O error
                throw new dev.distrolix.FailureException("interrupted while loading the signing key", e);
            }
        };
    }

    private static char[] password(Function<String, String> env) {
        try (KeyPassword p = KeyPassword.read(env, KeyPassword.Prompter.console(), false)) {
            return p.chars().clone();
        }
    }

    /** Decrypts the key with {@code password}, then wipes it. */
    private static Signer load(String keyRef, Function<String, String> env, char[] password) {
        try {
            ECPrivateKey key = keyRef.startsWith(ENV_PREFIX)
                    ? PrivateKeyFile.decode(keyRef, envBytes(keyRef, env), password)
                    : PrivateKeyFile.read(Path.of(keyRef), password);
            return Signer.of(key, CosignKeys.publicKeyOf(key));
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** A cosign public key (PEM). */
    public static ECPublicKey publicKey(String keyRef, Function<String, String> env) {
        return keyRef.startsWith(ENV_PREFIX) ? PublicKeyFile.decode(keyRef, envBytes(keyRef, env))
                : PublicKeyFile.read(Path.of(keyRef));
    }

    private static byte[] envBytes(String keyRef, Function<String, String> env) {
        String name = keyRef.substring(ENV_PREFIX.length());
        String value = name.isEmpty() ? null : env.apply(name);
        if (value == null) {
            throw new InputException(keyRef + ": the environment variable " + name + " is not set");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
