package dev.distrolix.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and secret for one registry, and where they came from (for messages: "the
 * credentials of 'alice' from /root/.docker/config.json were rejected"). When
 * {@code identityToken} is set the secret is an OAuth2 refresh token (Docker's
 * {@code identitytoken}, or a helper's {@code <token>} user), exchanged at the token endpoint.
 */
public record Credentials(String username, String secret, boolean identityToken, String source) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(source, "source");
    }

    public static Credentials basic(String username, String password, String source) {
        return new Credentials(username, password, false, source);
    }

    /** Parses {@code USER:PASSWORD} (the password may contain ':'), as {@code --creds} takes it. */
    public static Credentials parse(String userColonPassword, String source) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            throw new dev.distrolix.InputException(source + " must be USER:PASSWORD");
        }
        return basic(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1), source);
    }

    /** The value of an {@code Authorization: Basic …} header. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** "'alice' from --creds" — never the secret. */
    public String describe() {
        return (identityToken ? "an identity token" : "'" + username + "'") + " from " + source;
    }

    @Override
    public String toString() {
        return "Credentials[" + describe() + "]";
    }
}
