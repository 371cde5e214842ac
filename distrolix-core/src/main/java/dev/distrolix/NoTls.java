package dev.distrolix;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS context that refuses to make connections, for the clients (the registry's, a binary cache's) that serve
 * {@code http://} URLs only: {@code java.net.http} wants a context when a client is built and
 * would otherwise set the JDK's default up (security providers, the trust store) for nothing.
 * Were it ever asked for a TLS connection, it would fail, never connect unverified.
 */
public final class NoTls extends SSLContextSpi {
    private NoTls() {}

    public static SSLContext context() {
        return new SSLContext(new NoTls(), null, "none") { };
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("TLS requested from the plain-HTTP client");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
        // nothing to set up
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        throw refused();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return new SSLParameters();
    }
}
