package dev.distrolix.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Asks a TLS server, after a failed connection, whether it wants a client certificate. Why a
 * second handshake: under TLS 1.3 a server that requires one sends its alert after the client's
 * Finished, and then closes; whether the client reads the alert or only sees the connection
 * close is a race, so the first failure cannot tell. The server's CertificateRequest arrives
 * inside the handshake, where a key manager is asked for an alias — that is what this records.
 * Only run on the failure path; nothing is sent past the handshake.
 */
final class ClientCertificateProbe {
    private ClientCertificateProbe() {
    }

    /** True when the server at {@code host} ("name[:port]") asked for a client certificate. */
    static boolean asks(String host, Duration timeout) {
        URI uri = URI.create("https://" + host + "/");
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        AtomicBoolean asked = new AtomicBoolean();
        try {
            SSLContext ctx = InsecureTls.context(new javax.net.ssl.KeyManager[] {new Recorder(asked)});
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(uri.getHost(), port), ms);
                raw.setSoTimeout(ms);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, uri.getHost(), port, false)) {
                    s.startHandshake();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The answer is what was recorded before the failure.
        }
        return asked.get();
    }

    /** Offers no certificate and records that one was asked for. */
    private static final class Recorder extends X509ExtendedKeyManager {
        private final AtomicBoolean asked;

        Recorder(AtomicBoolean asked) {
            this.asked = asked;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            asked.set(true);
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, javax.net.ssl.SSLEngine e) {
            asked.set(true);
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return null;
        }
    }
}
