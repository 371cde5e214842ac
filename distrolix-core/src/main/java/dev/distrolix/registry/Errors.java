package dev.distrolix.registry;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** One-line reasons for low-level failures. */
final class Errors {
    private Errors() {}

    static String oneLine(Throwable e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time (request timed out)";
        }
        if (e instanceof ConnectException) {
            return "cannot connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")";
        }
        String m = e.getMessage();
        if (m != null && m.contains("header parser received no bytes")) {
            return "the connection closed without an answer";
        }
        if (m == null || m.isBlank()) {
            m = e.getCause() != null && e.getCause() != e ? oneLine(e.getCause()) : e.getClass().getSimpleName();
        }
        if (e instanceof SSLException && !m.startsWith("TLS")) {
            m = "TLS: " + m;
        }
        return m.replaceAll("\\s*\\R\\s*", "; ").strip();
    }
}
