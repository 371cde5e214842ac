package dev.distrolix.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS files of one registry (see {@link CertDirs}): extra CA certificates, and a client
 * certificate chain with its key. Equal files give equal instances, so clients are shared.
 *
 * @param dir   the folder they were read from, or null for none
 * @param cas   CA certificates trusted besides the system's
 * @param key   the client key, or null
 * @param chain the client certificate chain (empty without a key)
 */
record TlsFiles(Path dir, List<X509Certificate> cas, PrivateKey key, List<X509Certificate> chain) {
    static final TlsFiles NONE = new TlsFiles(null, List.of(), null, List.of());

    TlsFiles {
        cas = List.copyOf(cas);
        chain = List.copyOf(chain);
    }

    // Written out: a record's generated equals and hashCode are linked on first call through method handles that
    // the JVM's start-up archives do not keep (the first such call in a run ~10 ms).
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof TlsFiles t && java.util.Objects.equals(dir, t.dir) && cas.equals(t.cas)
                && java.util.Objects.equals(key, t.key) && chain.equals(t.chain);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(dir, cas, key, chain);
    }

    boolean isEmpty() {
        return cas.isEmpty() && key == null;
    }

    /** Key managers offering the client certificate, or null without one. */
    KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
        if (key == null) {
            return null;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pass = new char[0];
        ks.setKeyEntry("client", key, pass, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        return kmf.getKeyManagers();
    }

    /** A verifying context trusting the system's CAs and ours, offering our client certificate. */
    SSLContext verifyingContext() throws GeneralSecurityException, IOException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (TrustManager tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    ks.setCertificateEntry("system-" + i++, c);
                }
            }
        }
        for (X509Certificate c : cas) {
            ks.setCertificateEntry("certs.d-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
