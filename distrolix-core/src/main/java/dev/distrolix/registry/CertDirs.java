package dev.distrolix.registry;

import dev.distrolix.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where TLS files for a registry are looked for, as podman, skopeo and Docker do
 * (containers-certs.d(5)): a folder named after the registry ({@code HOST[:PORT]}) under
 * {@code ~/.config/containers/certs.d}, {@code /etc/containers/certs.d} and
 * {@code /etc/docker/certs.d} — the first that exists is used — or, with {@code --cert-dir DIR},
 * DIR itself for every registry. In the folder, {@code *.crt} files are CA certificates (trusted
 * in addition to the system's), and {@code NAME.cert} with {@code NAME.key} a client certificate
 * and its key.
 *
 * @param roots   folders holding one folder per registry (empty with a cert dir)
 * @param certDir the {@code --cert-dir} folder, or null
 */
public record CertDirs(List<Path> roots, Path certDir) {
    public CertDirs {
        roots = List.copyOf(roots);
    }

    /** The standard roots: the user's, then the system's of podman and Docker. */
    public static CertDirs defaults(Path home) {
        return new CertDirs(List.of(home.resolve(".config/containers/certs.d"), Path.of("/etc/containers/certs.d"),
                Path.of("/etc/docker/certs.d")), null);
    }

    /** {@code --cert-dir DIR}: this folder for every registry, instead of the certs.d folders. */
    public static CertDirs only(Path dir) {
        return new CertDirs(List.of(), Objects.requireNonNull(dir, "dir"));
    }

    /** The folder for {@code registry} (host[:port] as written in image references), or null for none. */
    Path folderFor(String registry) {
        if (certDir != null) {
            return certDir;
        }
        String api = RegistryRef.apiHost(registry); // docker.io's folder may be named after its API host
        for (Path root : roots) {
            for (String name : api.equals(registry) ? List.of(registry) : List.of(registry, api)) {
                Path d = root.resolve(name);
                if (Files.isDirectory(d)) {
                    return d;
                }
            }
        }
        return null;
    }

    /**
     * The TLS files for {@code registry}, read; {@link TlsFiles#NONE} when there are none.
     *
     * @throws IOException one line naming the file that is missing or unreadable
     */
    TlsFiles read(String registry) throws IOException {
        Path dir = folderFor(registry);
        if (dir == null) {
            return TlsFiles.NONE;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("certificate folder " + dir + (Files.exists(dir) ? " is not a folder" : " does not exist"));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        List<java.security.cert.X509Certificate> cas = new ArrayList<>();
        java.security.PrivateKey key = null;
        List<java.security.cert.X509Certificate> chain = List.of();
        Path keyFile = null;
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".crt")) {
                cas.addAll(Pem.certificates(f));
            } else if (name.endsWith(".cert")) {
                Path k = f.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
                if (!Files.exists(k)) {
                    throw new IOException("client certificate " + f + " has no key " + k.getFileName());
                }
                if (key != null) {
                    throw new IOException("more than one client certificate in " + dir + " (" + keyFile + ", " + k + ")");
                }
                chain = Pem.certificates(f);
                key = Pem.privateKey(k);
                keyFile = k;
            } else if (name.endsWith(".key")) {
                Path c = f.resolveSibling(name.substring(0, name.length() - ".key".length()) + ".cert");
                if (!Files.exists(c)) {
                    throw new IOException("key " + f + " has no client certificate " + c.getFileName());
                }
            }
        }
        return new TlsFiles(dir, List.copyOf(cas), key, chain);
    }

    /** PEM files: certificates, and private keys in PKCS#8 or (RSA) PKCS#1 form. */
    static final class Pem {
        /** A PEM file of a few certificates is kilobytes; a bound, so that a device or a huge file is refused. */
        private static final int MAX_FILE = 1 << 20;

        private Pem() {}

        static List<java.security.cert.X509Certificate> certificates(Path f) throws IOException {
            try (var in = new java.io.ByteArrayInputStream(SmallFiles.read(f, MAX_FILE, "a certificate"))) {
                List<java.security.cert.X509Certificate> out = new ArrayList<>();
                for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    out.add((java.security.cert.X509Certificate) c);
                }
                if (out.isEmpty()) {
                    throw new IOException("no certificate in " + f);
                }
                return out;
            } catch (java.security.cert.CertificateException e) {
                throw new IOException("not a PEM certificate file: " + f + " (" + e.getMessage() + ")", e);
            }
        }

        static java.security.PrivateKey privateKey(Path f) throws IOException {
            String text = new String(SmallFiles.read(f, MAX_FILE, "a key"), StandardCharsets.US_ASCII);
            String type = pemType(text);
            if (type == null) {
                throw new IOException("not a PEM private key: " + f);
            }
            byte[] der = java.util.Base64.getMimeDecoder().decode(body(text, type));
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(der);
                case "EC PRIVATE KEY" -> throw new IOException("key " + f + " is an EC key in SEC1 form"
                        + " ('BEGIN EC PRIVATE KEY'), which is not read: convert it to PKCS#8 with"
                        + " 'openssl pkcs8 -topk8 -nocrypt -in " + f.getFileName() + " -out KEY'");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException("key " + f + " is encrypted: a client key"
                        + " must be unencrypted PEM PKCS#8 ('openssl pkcs8 -topk8 -nocrypt')");
                default -> throw new IOException("key " + f + " is a '" + type + "' block: expected"
                        + " 'PRIVATE KEY' (PKCS#8) or 'RSA PRIVATE KEY'");
            };
            java.security.spec.PKCS8EncodedKeySpec spec = new java.security.spec.PKCS8EncodedKeySpec(pkcs8);
            for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                try {
                    return java.security.KeyFactory.getInstance(alg).generatePrivate(spec);
                } catch (java.security.GeneralSecurityException tryNext) {
                    // not this algorithm
                }
            }
            throw new IOException("key " + f + ": not an RSA, EC or EdDSA PKCS#8 key");
        }

        private static String pemType(String text) {
            int b = text.indexOf("-----BEGIN ");
            if (b < 0) {
                return null;
            }
            int e = text.indexOf("-----", b + 11);
            return e < 0 ? null : text.substring(b + 11, e);
        }

        private static String body(String text, String type) throws IOException {
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            int b = text.indexOf(begin);
            int e = text.indexOf(end, b);
            if (e < 0) {
                throw new IOException("PEM block '" + type + "' has no end line");
            }
            return text.substring(b + begin.length(), e).strip();
        }

        /** PKCS#1 RSAPrivateKey wrapped as PKCS#8: SEQUENCE { 0, { rsaEncryption, NULL }, OCTET STRING }. */
        static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
            byte[] version = {0x02, 0x01, 0x00};
            byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00};
            byte[] octets = tlv(0x04, pkcs1);
            byte[] inner = new byte[version.length + algorithm.length + octets.length];
            System.arraycopy(version, 0, inner, 0, version.length);
            System.arraycopy(algorithm, 0, inner, version.length, algorithm.length);
            System.arraycopy(octets, 0, inner, version.length + algorithm.length, octets.length);
            return tlv(0x30, inner);
        }

        private static byte[] tlv(int tag, byte[] value) {
            int n = value.length;
            byte[] len = n < 0x80 ? new byte[] {(byte) n}
                    : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                    : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                    : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
            byte[] out = new byte[1 + len.length + n];
            out[0] = (byte) tag;
            System.arraycopy(len, 0, out, 1, len.length);
            System.arraycopy(value, 0, out, 1 + len.length, n);
            return out;
        }
    }
}
