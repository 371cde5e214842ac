package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import static dev.distrolix.tar.Tools.dir;
import static dev.distrolix.tar.Tools.file;
import static dev.distrolix.tar.Tools.link;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real readers (GNU tar, bsdtar, Python tarfile, gzip, zstd, sha256sum) read our layers back. */
class TarToolsTest {
    static final String LONG_TARGET = TarBytesTest.LONG_TARGET;
    static final String LONG_PATH = "nix/store/abc-x/share/" + "p".repeat(80) + "/" + "q".repeat(90);
    static final String PAX_PATH = "nix/store/abc-x/share/" + "r".repeat(120);
    static final String UNICODE = "nix/store/abc-x/share/h\u00e9llo-\u00fc";

    static List<LayerEntry> tree() {
        LayerEntry.Ownership app = new LayerEntry.Ownership(1000, 100, "app", "users");
        return List.of(dir("nix"), dir("nix/store"),
                new LayerEntry.Directory("nix/store/abc-x", 0555, LayerEntry.Ownership.ROOT, 1),
                new LayerEntry.Directory("nix/store/abc-x/bin", 0555, LayerEntry.Ownership.ROOT, 1),
                file("nix/store/abc-x/bin/run", 0555, "#!/bin/sh\necho hi\n"),
                link("nix/store/abc-x/lib", LONG_TARGET),
                file("nix/store/abc-x/readme", 0444, "hello\n"),
                new LayerEntry.Directory("nix/store/abc-x/share", 0555, LayerEntry.Ownership.ROOT, 1),
                file(UNICODE, 0444, "unicode\n"),
                new LayerEntry.Directory("nix/store/abc-x/share/" + "p".repeat(80), 0555, LayerEntry.Ownership.ROOT, 1),
                file(LONG_PATH, 0444, "long\n"),
                new LayerEntry.RegularFile(PAX_PATH, 0640, app, 1_700_000_000L, 3,
                        () -> new java.io.ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    static LayerBlob write(Path dir, Compression c) throws Exception {
        return LayerWriter.write(dir, c, sink -> {
            for (LayerEntry e : tree()) {
                sink.accept(e);
            }
        });
    }

    @IntegrationTest
    @Test
    void gnuTarListsModesOwnersMtimesAndTargets(@TempDir Path tmp) throws Exception {
        Tools.require("tar");
        Path t = tmp.resolve("layer.tar");
        Files.write(t, Tools.tar(tree()));
        List<String> lines = Tools.lines(Tools.ok("tar", "--numeric-owner", "-tvvf", t.toString()));
        assertThat(lines).containsExactly(
                "drwxr-xr-x 0/0               0 1970-01-01 00:00 nix/",
                "drwxr-xr-x 0/0               0 1970-01-01 00:00 nix/store/",
                "dr-xr-xr-x 0/0               0 1970-01-01 00:00 nix/store/abc-x/",
                "dr-xr-xr-x 0/0               0 1970-01-01 00:00 nix/store/abc-x/bin/",
                "-r-xr-xr-x 0/0              18 1970-01-01 00:00 nix/store/abc-x/bin/run",
                "lrwxrwxrwx 0/0               0 1970-01-01 00:00 nix/store/abc-x/lib -> " + LONG_TARGET,
                "-r--r--r-- 0/0               6 1970-01-01 00:00 nix/store/abc-x/readme",
                "dr-xr-xr-x 0/0               0 1970-01-01 00:00 nix/store/abc-x/share/",
                "-r--r--r-- 0/0               8 1970-01-01 00:00 " + UNICODE,
                "dr-xr-xr-x 0/0               0 1970-01-01 00:00 nix/store/abc-x/share/" + "p".repeat(80) + "/",
                "-r--r--r-- 0/0               5 1970-01-01 00:00 " + LONG_PATH,
                "-rw-r----- 1000/100          3 2023-11-14 22:13 " + PAX_PATH);
        List<String> named = Tools.lines(Tools.ok("tar", "-tvf", t.toString()));
        assertThat(named.get(0)).startsWith("drwxr-xr-x root/root");
        assertThat(named.get(11)).startsWith("-rw-r----- app/users");
        // GNU tar warns about unknown keywords or bad headers on stderr; there must be none
        assertThat(Tools.ok("tar", "-tf", t.toString()).stderr()).isEmpty();
    }

    @IntegrationTest
    @Test
    void gnuTarExtractsWhatWasWritten(@TempDir Path tmp) throws Exception {
        Tools.require("tar");
        Path t = tmp.resolve("layer.tar");
        Files.write(t, Tools.tar(tree()));
        Path out = Files.createDirectory(tmp.resolve("out"));
        Tools.ok("tar", "-xpf", t.toString(), "-C", out.toString());
        assertThat(Files.readString(out.resolve("nix/store/abc-x/bin/run"))).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("nix/store/abc-x/bin/run"))))
                .isEqualTo("r-xr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("nix/store/abc-x/readme"))))
                .isEqualTo("r--r--r--");
        assertThat(Files.readSymbolicLink(out.resolve("nix/store/abc-x/lib")).toString()).isEqualTo(LONG_TARGET);
        assertThat(Files.readString(out.resolve(LONG_PATH))).isEqualTo("long\n");
        assertThat(Files.readString(out.resolve(UNICODE))).isEqualTo("unicode\n");
        assertThat(Files.getLastModifiedTime(out.resolve("nix/store/abc-x/readme"), LinkOption.NOFOLLOW_LINKS)
                .toMillis()).isEqualTo(1000);
        assertThat(Files.getAttribute(out.resolve(PAX_PATH), "unix:uid")).isEqualTo(1000);
    }

    @IntegrationTest
    @Test
    void pythonTarfileSeesTheSameEntriesAndOnlyTheNeededPaxKeys(@TempDir Path tmp) throws Exception {
        Tools.require("python3");
        Path t = tmp.resolve("layer.tar");
        Files.write(t, Tools.tar(tree()));
        String script = "import tarfile,json,sys\n"
                + "for m in tarfile.open(sys.argv[1]):\n"
                + "  print(json.dumps(dict(name=m.name,type=m.type.decode(),mode=m.mode,uid=m.uid,gid=m.gid,"
                + "uname=m.uname,gname=m.gname,mtime=m.mtime,size=m.size,link=m.linkname,"
                + "pax=sorted(m.pax_headers))))\n";
        List<JsonNode> members = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : Tools.lines(Tools.ok("python3", "-c", script, t.toString()))) {
            members.add(json.readTree(l));
        }
        List<LayerEntry> tree = tree();
        assertThat(members).hasSize(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            LayerEntry e = tree.get(i);
            JsonNode m = members.get(i);
            assertThat(m.get("name").asText()).isEqualTo(e.path()); // tarfile strips the trailing '/'
            assertThat(m.get("mode").asInt()).as(e.path()).isEqualTo(e.mode());
            assertThat(m.get("uid").asInt()).isEqualTo(e.owner().uid());
            assertThat(m.get("gid").asInt()).isEqualTo(e.owner().gid());
            assertThat(m.get("uname").asText()).isEqualTo(e.owner().uname());
            assertThat(m.get("gname").asText()).isEqualTo(e.owner().gname());
            assertThat(m.get("mtime").asLong()).isEqualTo(e.mtime());
            String type = e instanceof LayerEntry.Directory ? "5" : e instanceof LayerEntry.Symlink ? "2" : "0";
            assertThat(m.get("type").asText()).isEqualTo(type);
            if (e instanceof LayerEntry.Symlink s) {
                assertThat(m.get("link").asText()).isEqualTo(s.target());
            }
            if (e instanceof LayerEntry.RegularFile f) {
                assertThat(m.get("size").asLong()).isEqualTo(f.size());
            }
            List<String> pax = new ArrayList<>();
            m.get("pax").forEach(k -> pax.add(k.asText()));
            List<String> expectedPax = e.path().equals(PAX_PATH) || e.path().equals(UNICODE) ? List.of("path")
                    : e instanceof LayerEntry.Symlink ? List.of("linkpath") : List.of();
            assertThat(pax).as(e.path()).isEqualTo(expectedPax);
        }
    }

    @IntegrationTest
    @Test
    void bsdtarListsTheSameNames(@TempDir Path tmp) throws Exception {
        Tools.require("bsdtar");
        Path t = tmp.resolve("layer.tar");
        Files.write(t, Tools.tar(tree()));
        List<String> expected = tree().stream()
                .map(e -> e instanceof LayerEntry.Directory ? e.path() + "/" : e.path()).toList();
        Tools.Result r = Tools.ok("bsdtar", "-tf", t.toString());
        assertThat(Tools.lines(r)).isEqualTo(expected);
        assertThat(r.stderr()).isEmpty();
        List<String> verbose = Tools.lines(Tools.ok("bsdtar", "-tvf", t.toString()));
        assertThat(verbose.get(5)).startsWith("lrwxrwxrwx").endsWith(" -> " + LONG_TARGET);
        assertThat(verbose.get(4)).startsWith("-r-xr-xr-x  0 root   root");
    }

    @IntegrationTest
    @Test
    void gzipBlobDigestsMatchGzipAndSha256sum(@TempDir Path tmp) throws Exception {
        Tools.require("gzip", "sha256sum");
        LayerBlob b = write(tmp, Compression.GZIP);
        String f = b.file().toString();
        assertThat(b.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(Tools.sha256Of("gzip -dc " + f)).isEqualTo(b.diffId().hex());
        assertThat(Tools.sha256Of("cat " + f)).isEqualTo(b.digest().hex());
        assertThat(Tools.sha256Of("cat " + f)).isEqualTo(b.file().getFileName().toString());
        assertThat(Tools.sh("gzip -dc " + f + " | wc -c").out().trim()).isEqualTo(Long.toString(b.uncompressedSize()));
        assertThat(Tools.sha256Of("gzip -dc " + f)).isEqualTo(dev.distrolix.blob.Digest.sha256(Tools.tar(tree())).hex());
        byte[] blob = Files.readAllBytes(b.file());
        // pinned header: magic, deflate, no flags, MTIME 0, XFL 0, OS 255
        assertThat(java.util.Arrays.copyOf(blob, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
        Tools.ok("gzip", "-t", f);
        assertThat(Tools.sh("gzip -lv " + f).out()).contains(Long.toString(b.uncompressedSize()));
        if (Tools.available("pigz")) {
            assertThat(Tools.sha256Of("pigz -dc " + f)).isEqualTo(b.diffId().hex());
        }
        assertThat(Files.getPosixFilePermissions(b.file())).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @IntegrationTest
    @Test
    void zstdBlobDecompressesWithTheZstdCli(@TempDir Path tmp) throws Exception {
        Tools.require("zstd", "sha256sum");
        LayerBlob b = write(tmp, Compression.ZSTD);
        String f = b.file().toString();
        assertThat(b.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        Tools.ok("zstd", "-t", "-q", f);
        assertThat(Tools.sha256Of("zstd -dc " + f)).isEqualTo(b.diffId().hex());
        assertThat(Tools.sha256Of("cat " + f)).isEqualTo(b.digest().hex());
        assertThat(Tools.sh("zstd -lv " + f + " 2>&1").out()).contains("Check: XXH64");
    }

    @Test
    void uncompressedBlobIsTheTarItself(@TempDir Path tmp) throws Exception {
        LayerBlob b = write(tmp, Compression.NONE);
        assertThat(b.digest()).isEqualTo(b.diffId());
        assertThat(b.size()).isEqualTo(b.uncompressedSize());
        assertThat(Files.readAllBytes(b.file())).isEqualTo(Tools.tar(tree()));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(b.digest().hex());
        }
    }
}
