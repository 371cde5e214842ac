package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.DistrolixException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A registry refused or failed a request. The one-line message names the registry, the
 * repository, what was being done, the HTTP status and the registry's own error code and
 * message ({@code {"errors":[{"code","message"}]}}), plus a hint when we know one, e.g.
 * <pre>push to 127.0.0.1:5000/nginx: uploading blob sha256:ab12…: HTTP 401 UNAUTHORIZED: authentication required; …</pre>
 *
 * <p>A {@link DistrolixException} (exit 1), so unchecked: code that catches {@link IOException} to
 * handle a registry failure must catch this type as well.
 */
public final class RegistryException extends DistrolixException {

    private final String registry;
    private final String repository;
    private final int status;
    private final String code;
    private final String registryMessage;
    private final Duration retryAfter;
    private final String what;
    private final String hint;

    public RegistryException(String registry, String repository, String what, int status, String code,
                             String registryMessage, String hint, Duration retryAfter, Throwable cause) {
        super(format(registry, repository, what, status, code, registryMessage, hint), cause);
        this.registry = registry;
        this.repository = repository;
        this.status = status;
        this.code = code;
        this.registryMessage = registryMessage;
        this.retryAfter = retryAfter;
        this.what = what;
        this.hint = hint;
    }

    /** The same error with one more hint at the end of the message (e.g. "gave up after 5 attempts"). */
    public RegistryException withHint(String more) {
        RegistryException e = new RegistryException(registry, repository, what, status, code, registryMessage,
                hint == null ? more : hint + "; " + more, retryAfter, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** A failure without an HTTP answer (connection, TLS, our own checks). */
    public static RegistryException of(String registry, String repository, String what, String reason, Throwable cause) {
        return new RegistryException(registry, repository, what, 0, null, reason, null, null, cause);
    }

    /** From an error response: parses the registry's error body and Retry-After. */
    static RegistryException fromResponse(String registry, String repository, String what, int status,
                                          HttpHeaders headers, byte[] body, String hint) {
        String code = null;
        String message = null;
        if (body != null && body.length > 0) {
            try {
                JsonNode errors = dev.distrolix.json.JsonTrees.read(body).path("errors");
                if (errors.isArray() && errors.size() > 0) {
                    code = text(errors.get(0).get("code"));
                    message = text(errors.get(0).get("message"));
                }
            } catch (IOException | RuntimeException notJson) {
                String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
                message = s.isEmpty() ? null : s.replaceAll("\\s*\\R\\s*", " ");
            }
        }
        return new RegistryException(registry, repository, what, status, code, message, hint,
                RetryPolicy.retryAfter(headers), null);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String format(String registry, String repository, String what, int status, String code,
                                 String message, String hint) {
        StringBuilder sb = new StringBuilder();
        sb.append(registry);
        if (repository != null) {
            sb.append('/').append(repository);
        }
        sb.append(": ").append(what);
        if (status > 0) {
            sb.append(": HTTP ").append(status);
            if (code != null) {
                sb.append(' ').append(code);
            }
        }
        if (message != null && !message.isBlank()) {
            sb.append(": ").append(message.strip());
        }
        if (hint != null) {
            sb.append("; ").append(hint);
        }
        return sb.toString().replaceAll("\\s*\\R\\s*", "; ");
    }

    public String registry() {
        return registry;
    }

    /** The repository, or null for registry-wide requests (ping, token). */
    public String repository() {
        return repository;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The registry's error code (e.g. {@code UNAUTHORIZED}, {@code BLOB_UNKNOWN}), or null. */
    public String code() {
        return code;
    }

    /** The registry's error message, or null. */
    public String registryMessage() {
        return registryMessage;
    }

    /** The registry's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public int exitCode() {
        return EXIT_FAILURE;
    }

    public boolean isUnauthorized() {
        return status == 401 || status == 403;
    }
}
