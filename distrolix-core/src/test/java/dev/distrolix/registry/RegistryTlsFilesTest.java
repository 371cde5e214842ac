package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.Transports;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private registries over TLS with a CA of their own (made by openssl here), as podman and Docker
 * read their files: {@code --cert-dir}, or a {@code certs.d/HOST:PORT/} folder (a temporary HOME's
 * here; the /etc roots are injected, never written); client certificates too.
 */
@dev.distrolix.testing.IntegrationTest
class RegistryTlsFilesTest {
    @TempDir
    static Path shared;
    static Path pki;
    static RegistryServer tls;
    static RegistryServer mutual;
    static AssembledImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        pki = Files.createDirectories(shared.resolve("pki"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=distrolix test CA");
        Files.writeString(pki.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        // a client key in PKCS#1 form ("BEGIN RSA PRIVATE KEY"), as older tools write it
        openssl("genrsa", "-traditional", "-out", "client.key", "2048");
        openssl("req", "-new", "-key", "client.key", "-out", "client.csr", "-subj", "/CN=distrolix client");
        Files.writeString(pki.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.cert", "-days", "2", "-extfile", "client.ext");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.key");
        tls = RegistryServer.in(shared.resolve("tls")).tls(pki.resolve("server.crt"), pki.resolve("server.key")).start();
        mutual = RegistryServer.in(shared.resolve("mutual"))
                .tls(pki.resolve("server.crt"), pki.resolve("server.key"), pki.resolve("ca.crt")).start();
        image = TestImages.image(shared.resolve("layers"), "tlsfiles", 1, 5_000);
    }

    @AfterAll
    static void stop() throws Exception {
        tls.close();
        mutual.close();
    }

    static void openssl(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Fixtures.Exit e = Fixtures.exec(new ProcessBuilder(cmd).directory(pki.toFile()));
        if (e.code() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + e.code() + ": " + e.err());
        }
    }

    /** No certs.d anywhere but under this test's folder. */
    RegistrySettings settings(Path home) {
        return RegistrySettings.defaults(Map.of(), home)
                .withCertDirs(new CertDirs(List.of(home.resolve(".config/containers/certs.d"),
                        tmp.resolve("etc/containers/certs.d"), tmp.resolve("etc/docker/certs.d")), null))
                .withRetry(RetryPolicy.NONE);
    }

    static void push(RegistryServer r, String repo, RegistrySettings s) throws Exception {
        Transports.write(image, ImageReference.parse("docker://" + r.address() + "/" + repo + ":1"), s);
        RegistryImageReader back = RegistryImageReader.open(RegistryRef.parse(r.address() + "/" + repo + ":1"), s);
        assertThat(back.manifest().digest()).isNotNull();
    }

    static Path folder(Path dir, String... files) throws Exception {
        Files.createDirectories(dir);
        for (String f : files) {
            String[] names = f.split("=");
            Files.copy(pki.resolve(names[0]), dir.resolve(names.length > 1 ? names[1] : names[0]));
        }
        return dir;
    }

    @Test
    void withoutTheCaTheErrorNamesTheHostAndTheWaysOut() {
        assertThat(pki.resolve("server.crt")).exists();
        assertThatThrownBy(() -> RegistryClient.connect(tls.address(), settings(tmp.resolve("home"))))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(tls.address() + ": connecting to https://" + tls.address())
                .hasMessageContaining("its TLS certificate is not trusted")
                .hasMessageContaining("/etc/containers/certs.d/" + tls.address() + "/ca.crt")
                .hasMessageContaining("--cert-dir")
                .hasMessageNotContaining("\n");
    }

    @Test
    void certDirMakesTheCaTrusted() throws Exception {
        Path dir = folder(tmp.resolve("certs"), "ca.crt");
        push(tls, "certdir", settings(tmp.resolve("home")).withCertDir(dir));
    }

    @Test
    void theUsersCertsDFolderForHostAndPortMakesTheCaTrusted() throws Exception {
        Path home = tmp.resolve("home");
        folder(home.resolve(".config/containers/certs.d/" + tls.address()), "ca.crt");
        push(tls, "certsd", settings(home));
    }

    @Test
    void theSystemCertsDRootsAreReadToo() throws Exception {
        folder(tmp.resolve("etc/docker/certs.d/" + tls.address()), "ca.crt=my-ca.crt");
        push(tls, "etcdocker", settings(tmp.resolve("home")));
    }

    @Test
    void aClientCertificateWithAPkcs1KeyIsOffered() throws Exception {
        Path home = tmp.resolve("home");
        Path dir = home.resolve(".config/containers/certs.d/" + mutual.address());
        folder(dir, "ca.crt");
        assertThatThrownBy(() -> push(mutual, "mtls", settings(home)))
                .as("without a client certificate").isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(mutual.address() + ": connecting to https://" + mutual.address())
                .hasMessageContaining("the registry asks for a client certificate");
        folder(dir, "client.cert", "client.key");
        assertThat(Files.readString(dir.resolve("client.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        push(mutual, "mtls", settings(home));
    }

    /** The hint must not depend on whether the client read the server's alert before it closed (a TLS 1.3 race). */
    @Test
    void theProbeTellsWhichServerAsksForAClientCertificate() {
        assertThat(ClientCertificateProbe.asks(mutual.address(), java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(ClientCertificateProbe.asks(tls.address(), java.time.Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void keysThatCannotBeReadAreOneLineErrors() throws Exception {
        Path dir = folder(tmp.resolve("sec1"), "ca.crt", "client.cert", "sec1.key=client.key");
        assertThatThrownBy(() -> RegistryClient.connect(mutual.address(), settings(tmp.resolve("home")).withCertDir(dir)))
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessageContaining(mutual.address() + ": reading its TLS files: key " + dir.resolve("client.key"))
                .hasMessageContaining("SEC1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        Path lonely = folder(tmp.resolve("lonely"), "ca.crt", "client.cert");
        assertThatThrownBy(() -> RegistryClient.connect(mutual.address(), settings(tmp.resolve("home")).withCertDir(lonely)))
                .hasMessageContaining("client certificate " + lonely.resolve("client.cert") + " has no key client.key");
        // a device (or a pipe) where a certificate should be is refused unread, not read forever
        Path device = java.nio.file.Files.createDirectories(tmp.resolve("device"));
        java.nio.file.Files.createSymbolicLink(device.resolve("ca.crt"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> RegistryClient.connect(mutual.address(), settings(tmp.resolve("home")).withCertDir(device)))
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage(mutual.address() + ": reading its TLS files: " + device.resolve("ca.crt")
                        + ": not a regular file; a certificate is read from a file");
        Path file = java.nio.file.Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> RegistryClient.connect(mutual.address(), settings(tmp.resolve("home")).withCertDir(file)))
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessageContaining("certificate folder " + file + " is not a folder");
    }

    @Test
    void insecureStaysTheExplicitWayOut() throws Exception {
        push(tls, "insecure", settings(tmp.resolve("home")).withInsecure(true));
    }
}
