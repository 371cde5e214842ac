package dev.distrolix.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A self-signed RSA certificate for 127.0.0.1/localhost, made by the real JDK keytool; written
 * as PEM files (for the registry's TLS and token verification) and loaded for signing tokens.
 */
public record TestCertificate(Path certPem, Path keyPem, X509Certificate certificate, PrivateKey key) {
    private static final String PASS = "changeit";

    public static TestCertificate create(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path store = dir.resolve("keystore.p12");
        Fixtures.run("keytool", "-genkeypair", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS.toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("test");
        PrivateKey key = (PrivateKey) ks.getKey("test", PASS.toCharArray());
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new TestCertificate(certPem, keyPem, cert, key);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
