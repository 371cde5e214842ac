package dev.distrolix.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * When and how long to wait before trying a registry request again: connection resets and other
 * I/O failures, 408, 429 and 5xx (except 501/505) are retried; everything else is an answer.
 * Waits grow exponentially with "equal jitter" (half fixed, half random, so parallel uploads do
 * not retry in lock-step); a {@code Retry-After} from the registry is honoured exactly, up to
 * {@code maxRetryAfter}.
 *
 * @param maxAttempts   attempts in total, at least 1
 * @param baseDelay     the wait before the second attempt (before jitter)
 * @param maxDelay      the longest computed wait
 * @param maxRetryAfter the longest Retry-After we accept; a longer one fails at once
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
                          Deadline deadline) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(10),
            Duration.ofSeconds(120));
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (deadline == null) {
            deadline = Deadline.NONE;
        }
    }

    /** Without a deadline of its own (the settings' {@code --timeout} is added by {@link RegistrySettings#retry()}). */
    public RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
        this(maxAttempts, baseDelay, maxDelay, maxRetryAfter, Deadline.NONE);
    }

    /** The same policy, never waiting past {@code d}: a retry that would start after it is not made. */
    public RetryPolicy within(Deadline d) {
        return d == deadline ? this : new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, d);
    }

    /** One try of an operation; {@code attempt} counts from 1. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    /** Told before each wait, e.g. to show "retrying in 2 s" on the progress display. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (attempt, delay, cause) -> { };

        void retrying(int failedAttempt, Duration delay, Exception cause);
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or the attempts are used up. Retries
     * I/O failures and {@link RegistryException}s (unchecked) alike, when {@link #isRetryable} says so.
     */
    public <T> T run(Attempt<T> attempt, Listener listener) throws IOException {
        for (int i = 1; ; i++) {
            try {
                return attempt.run(i);
            } catch (RegistryException e) {
                Duration wait = retryOrThrow(e, i);
                listener.retrying(i, wait, e);
                sleep(wait);
            } catch (IOException e) {
                Duration wait = retryOrThrow(e, i);
                listener.retrying(i, wait, e);
                sleep(wait);
            }
        }
    }

    /** The wait before the next attempt, or throws {@code e} (with why when attempts are used up). */
    private Duration retryOrThrow(RegistryException e, int attempt) {
        if (!isRetryable(e)) {
            throw e;
        }
        Duration wait = delay(attempt, e);
        // a server that did not answer in time is tried once more, not six times: a hang costs
        // two timeouts, not minutes
        int attempts = timedOut(e) ? Math.min(maxAttempts, 2) : maxAttempts;
        boolean late = wait != null && attempt < attempts && deadline.wouldPass(wait);
        if (attempt >= attempts || wait == null || late) {
            throw e.withHint(gaveUp(wait, attempt, late));
        }
        return wait;
    }

    private Duration retryOrThrow(IOException e, int attempt) throws IOException {
        if (!isRetryable(e)) {
            throw e;
        }
        Duration wait = delay(attempt, e);
        // a server that did not answer in time is tried once more, not six times: a hang costs
        // two timeouts, not minutes
        int attempts = timedOut(e) ? Math.min(maxAttempts, 2) : maxAttempts;
        boolean late = wait != null && attempt < attempts && deadline.wouldPass(wait);
        if (attempt >= attempts || wait == null || late) {
            throw new IOException(e.getMessage() + "; " + gaveUp(wait, attempt, late), e);
        }
        return wait;
    }

    private String gaveUp(Duration wait, int attempt, boolean late) {
        return wait == null ? "the registry asked to wait longer than " + maxRetryAfter.toSeconds() + " s"
                : late ? "no retry: " + deadline.describe() + " would pass"
                : "gave up after " + attempt + " attempts";
    }

    /** The wait after failed attempt {@code attempt}; null when Retry-After exceeds the limit. */
    Duration delay(int attempt, Exception e) {
        Duration retryAfter = e instanceof RegistryException r ? r.retryAfter() : null;
        if (retryAfter != null) {
            return retryAfter.compareTo(maxRetryAfter) > 0 ? null : retryAfter;
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long half = cap / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    /** Whether {@code e} (or its cause) says a server did not answer, or stopped sending, in time. */
    static boolean timedOut(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Http.TimedOut || c instanceof HttpTimeoutException
                    || c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Whether trying again could help. */
    public static boolean isRetryable(Throwable e) {
        if (e instanceof Http.TimedOut t && t.deadline() || e instanceof Http.TooLarge || e instanceof Http.Refused) {
            return false; // the command's --timeout has passed; a too large answer stays too large, a redirect refused
        }
        if (e instanceof RegistryException r) {
            if (r.status() > 0) {
                return isRetryableStatus(r.status());
            }
            return r.getCause() != null && isRetryable(r.getCause());
        }
        if (e instanceof InterruptedIOException && !(e instanceof HttpTimeoutException)) {
            return false; // the thread was interrupted (Ctrl-C, a sibling upload failed): stop
        }
        if (e instanceof SSLPeerUnverifiedException) {
            return false;
        }
        boolean tls = false;
        boolean network = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertificateException || c instanceof SSLHandshakeException) {
                return false; // an untrusted certificate stays untrusted; a server not speaking TLS too
            }
            tls |= c instanceof SSLException;
            network |= c instanceof java.net.SocketException || c instanceof java.io.EOFException;
        }
        // a TLS failure that is not a broken connection (no TLS at all, a protocol mismatch) stays one
        return e instanceof IOException && (!tls || network);
    }

    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return null;
        }
        String v = headers.firstValue("Retry-After").orElse(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        v = v.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
