package dev.distrolix.nix.substituter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.nix.LocalStoreSource;
import dev.distrolix.nix.NarEntry;
import dev.distrolix.nix.StorePath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nix32, narinfo, fingerprints, Ed25519 signatures and the NAR parser, without any tool. */
class SubstituterFormatsTest {
    @TempDir
    Path tmp;

    @Test
    void nix32MatchesNixHash() throws Exception {
        // nix-hash --type sha256 --to-base32 of sha256("")
        byte[] empty = MessageDigest.getInstance("SHA-256").digest(new byte[0]);
        assertThat(NarHash.nix32(empty)).isEqualTo("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73");
        NarHash h = NarHash.ofBytes(empty);
        assertThat(NarHash.parse(h.toString())).isEqualTo(h);
        assertThat(NarHash.parse("sha256-" + Base64.getEncoder().encodeToString(empty))).isEqualTo(h);
        assertThat(NarHash.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).isEqualTo(h);
        assertThatThrownBy(() -> NarHash.parse("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c7e"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final String NGINX = "/nix/store/m61gsjhj1cmrvvbj19ybgvrnia2vmqvv-nginx-1.22.1";

    static String narinfo(String sigLines) {
        return "StorePath: " + NGINX + "\n"
                + "URL: nar/076lrxj4pihqaszkpx0smwwr35admmyi5rdpxm4il9xx7dpap2sx.nar.xz\n"
                + "Compression: xz\n"
                + "FileHash: sha256:076lrxj4pihqaszkpx0smwwr35admmyi5rdpxm4il9xx7dpap2sx\n"
                + "FileSize: 454072\n"
                + "NarHash: sha256:0xkgn1k0s2714sqzqlyc0kfrh5mzpn6bv8krcc81m45pna0g7z2j\n"
                + "NarSize: 1329320\n"
                + "References: m61gsjhj1cmrvvbj19ybgvrnia2vmqvv-nginx-1.22.1 fz11c80wki1g603ra3047sk3wlgj9bc1-glibc-2.36\n"
                + "Deriver: 04l1ps43rvk0zbznkdm55kk7ghxvz9fw-nginx-1.22.1.drv\n"
                + "Unknown: ignored\n"
                + sigLines;
    }

    @Test
    void narinfoParsesAndFingerprintsAsNixDoes() {
        NarInfo i = NarInfo.parse(narinfo("").getBytes(StandardCharsets.UTF_8));
        assertThat(i.storePath()).isEqualTo(StorePath.parse(NGINX));
        assertThat(i.compression()).isEqualTo("xz");
        assertThat(i.narSize()).isEqualTo(1329320);
        assertThat(i.fingerprint()).isEqualTo("1;" + NGINX + ";sha256:0xkgn1k0s2714sqzqlyc0kfrh5mzpn6bv8krcc81m45pna0g7z2j;1329320;"
                + "/nix/store/fz11c80wki1g603ra3047sk3wlgj9bc1-glibc-2.36," + NGINX);
        NarInfo bz = NarInfo.parse(narinfo("").replace("Compression: xz\n", "").getBytes(StandardCharsets.UTF_8));
        assertThat(bz.compression()).as("no Compression line means bzip2").isEqualTo("bzip2");
        assertThatThrownBy(() -> NarInfo.parse(narinfo("").replace("NarSize: 1329320\n", "").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("NarSize");
        assertThatThrownBy(() -> NarInfo.parse(narinfo("").replace("URL: nar/", "URL: ../").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("URL");
    }

    @Test
    void onlyASignatureByATrustedKeyOverTheFingerprintCounts() throws Exception {
        KeyPair good = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        NarInfo unsigned = NarInfo.parse(narinfo("").getBytes(StandardCharsets.UTF_8));
        String sig = sign(good, unsigned.fingerprint());
        TrustedKeys keys = TrustedKeys.of(List.of("k1:" + raw(good)));
        assertThat(keys.verifiedBy(parse(narinfo("Sig: k1:" + sig + "\n")))).contains("k1");
        assertThat(keys.verifiedBy(unsigned)).isEmpty();
        assertThat(keys.verifiedBy(parse(narinfo("Sig: k2:" + sig + "\n")))).as("untrusted name").isEmpty();
        assertThat(keys.verifiedBy(parse(narinfo("Sig: k1:" + sign(other, unsigned.fingerprint()) + "\n"))))
                .as("same name, other key").isEmpty();
        assertThat(keys.verifiedBy(parse(narinfo("Sig: k1:" + sig + "\n").replace("NarSize: 1329320", "NarSize: 1329321"))))
                .as("edited NarSize").isEmpty();
        assertThat(keys.verifiedBy(parse(narinfo("Sig: k1:AAAA\nSig: k1:" + sig + "\n")))).as("a short one skipped").contains("k1");
        assertThatThrownBy(() -> TrustedKeys.of(List.of("k1:AAAA"))).hasMessageContaining("not 32");
    }

    static NarInfo parse(String s) {
        return NarInfo.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    static String raw(KeyPair k) {
        byte[] der = k.getPublic().getEncoded(); // SubjectPublicKeyInfo: 12-byte prefix, then the 32 raw bytes
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    static String sign(KeyPair k, String fingerprint) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(k.getPrivate());
        s.update(fingerprint.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    /** A NAR of a real directory tree, written here by the grammar (as nix-store --dump would). */
    static byte[] nar(Path p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        str(out, "nix-archive-1");
        node(out, p);
        return out.toByteArray();
    }

    static void node(ByteArrayOutputStream out, Path p) throws IOException {
        str(out, "(");
        str(out, "type");
        if (Files.isSymbolicLink(p)) {
            str(out, "symlink");
            str(out, "target");
            str(out, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
            str(out, "directory");
            List<String> names = new ArrayList<>();
            try (var s = Files.list(p)) {
                s.forEach(c -> names.add(c.getFileName().toString()));
            }
            names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            for (String n : names) {
                str(out, "entry");
                str(out, "(");
                str(out, "name");
                str(out, n);
                str(out, "node");
                node(out, p.resolve(n));
                str(out, ")");
            }
        } else {
            str(out, "regular");
            if (Files.isExecutable(p)) {
                str(out, "executable");
                str(out, "");
            }
            str(out, "contents");
            bytes(out, Files.readAllBytes(p));
        }
        str(out, ")");
    }

    static void str(ByteArrayOutputStream out, String s) {
        bytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static void bytes(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length).array());
        out.writeBytes(b);
        out.writeBytes(new byte[(8 - b.length % 8) % 8]);
    }

    record Seen(String kind, String path, boolean exec, String content) {}

    static List<Seen> walk(dev.distrolix.nix.StoreSource.NarVisitor[] holder, WalkFn fn) throws IOException {
        List<Seen> seen = new ArrayList<>();
        fn.run(e -> {
            if (e instanceof NarEntry.Regular r) {
                String content = e.path().endsWith("skip") ? "" : new String(r.content().open().readAllBytes(), StandardCharsets.UTF_8);
                seen.add(new Seen("f", e.path(), r.executable(), r.size() + ":" + content));
            } else if (e instanceof NarEntry.Symlink s) {
                seen.add(new Seen("l", e.path(), false, s.target()));
            } else {
                seen.add(new Seen("d", e.path(), false, ""));
            }
        });
        return seen;
    }

    interface WalkFn {
        void run(dev.distrolix.nix.StoreSource.NarVisitor v) throws IOException;
    }

    @Test
    void theNarParserGivesLocalStoreSourcesWalk() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("nix/store"));
        Path root = Files.createDirectories(store.resolve("m61gsjhj1cmrvvbj19ybgvrnia2vmqvv-x-1"));
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/run"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(root.resolve("bin/run"), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.writeString(root.resolve("bin/skip"), "not read by the visitor: skipped"); // 33 bytes: padded
        Files.write(root.resolve("empty"), new byte[0]);
        Files.writeString(root.resolve("Z"), "upper case sorts first");
        Files.writeString(root.resolve("é"), "non-ascii sorts last");
        Files.createSymbolicLink(root.resolve("sbin"), Path.of("bin"));
        StorePath sp = StorePath.fromBaseName("/nix/store", root.getFileName().toString());
        byte[] nar = nar(root);

        List<Seen> local = walk(null, v -> new LocalStoreSource(tmp).walk(sp, v));
        List<Seen> parsed = walk(null, v -> NarReader.read(new ByteArrayInputStream(nar), v));
        assertThat(parsed).isEqualTo(local);
        assertThat(parsed).extracting(Seen::path).containsExactly("", "Z", "bin", "bin/run", "bin/skip", "empty", "sbin", "é");

        byte[] truncated = Arrays.copyOf(nar, nar.length - 20);
        assertThatThrownBy(() -> walk(null, v -> NarReader.read(new ByteArrayInputStream(truncated), v)))
                .isInstanceOf(NarFormatException.class);
        byte[] trailing = Arrays.copyOf(nar, nar.length + 8);
        assertThatThrownBy(() -> walk(null, v -> NarReader.read(new ByteArrayInputStream(trailing), v)))
                .hasMessageContaining("after the end");
        byte[] badMagic = nar.clone();
        badMagic[8] = 'N';
        assertThatThrownBy(() -> walk(null, v -> NarReader.read(new ByteArrayInputStream(badMagic), v)))
                .hasMessageContaining("nix-archive-1");
    }

    @Test
    void unsortedOrDangerousNamesAreRejected() throws Exception {
        for (String[] names : List.of(new String[] {"b", "a"}, new String[] {".."}, new String[] {"a/b"}, new String[] {"a", "a"})) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            str(out, "nix-archive-1");
            str(out, "(");
            str(out, "type");
            str(out, "directory");
            for (String n : names) {
                for (String t : List.of("entry", "(", "name", n, "node", "(", "type", "symlink", "target", "x", ")", ")")) {
                    str(out, t);
                }
            }
            str(out, ")");
            InputStream in = new ByteArrayInputStream(out.toByteArray());
            assertThatThrownBy(() -> NarReader.read(in, e -> { })).as(String.join(",", names))
                    .isInstanceOf(NarFormatException.class);
        }
    }
}
