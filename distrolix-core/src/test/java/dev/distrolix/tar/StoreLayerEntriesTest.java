package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.nix.LocalStoreSource;
import dev.distrolix.nix.LocalStoreSourceTest;
import dev.distrolix.nix.NarEntry;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.StoreSource;
import dev.distrolix.testing.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLayerEntriesTest {
    static final StorePath A = StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a");
    static final StorePath B = StorePath.parse("/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-file");

    /** A fake source: A is a directory with a file, an executable and a symlink; B a single file. */
    static final StoreSource FAKE = (p, v) -> {
        if (p.equals(A)) {
            v.visit(new NarEntry.Directory(""));
            v.visit(new NarEntry.Regular("data", false, 2, () -> new ByteArrayInputStream(new byte[2])));
            v.visit(new NarEntry.Regular("run", true, 0, () -> new ByteArrayInputStream(new byte[0])));
            v.visit(new NarEntry.Symlink("self", "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a/run"));
        } else {
            v.visit(new NarEntry.Regular("", false, 1, () -> new ByteArrayInputStream(new byte[1])));
        }
    };

    @Test
    void mapsNarNodesToRootOwnedEntriesWithFixedModes() throws Exception {
        List<String> got = new ArrayList<>();
        StoreLayerEntries.emit(List.of(B, A), FAKE, e -> got.add(describe(e)));
        assertThat(got).containsExactly(
                "D nix 755 0/0 root/root 1",
                "D nix/store 755 0/0 root/root 1",
                "D nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a 555 0/0 root/root 1",
                "F nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a/data 444 0/0 root/root 1",
                "F nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a/run 555 0/0 root/root 1",
                "L nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a/self 777 0/0 root/root 1",
                "F nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-file 444 0/0 root/root 1");
    }

    static String describe(LayerEntry e) {
        String t = e instanceof LayerEntry.Directory ? "D" : e instanceof LayerEntry.Symlink ? "L" : "F";
        var o = e.owner();
        return t + " " + e.path() + " " + Integer.toOctalString(e.mode()) + " " + o.uid() + "/" + o.gid() + " "
                + o.uname() + "/" + o.gname() + " " + e.mtime();
    }

    @Test
    void otherStoreDirsAndDuplicatesAreRefused() {
        StorePath other = StorePath.parse("/opt/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a");
        assertThatThrownBy(() -> StoreLayerEntries.producer(List.of(other), FAKE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/opt/store")
                .hasMessageContaining("/nix/store");
        assertThatThrownBy(() -> StoreLayerEntries.producer(List.of(A, B, A), FAKE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(A.toString());
    }

    @IntegrationTest
    @Test
    void layerOfARealStorePathExtractsToTheSameNar(@TempDir Path tmp) throws Exception {
        Tools.require("nix-store", "tar", "gzip", "diff");
        StorePath p = LocalStoreSourceTest.addToStore(LocalStoreSourceTest.makeTree(Files.createDirectory(tmp.resolve("src"))));
        Path single = Files.writeString(tmp.resolve("single.conf"), "x=1\n");
        StorePath q = LocalStoreSourceTest.addToStore(single);
        Path blobs = Files.createDirectory(tmp.resolve("blobs"));
        LayerBlob blob = LayerWriter.write(blobs, Compression.GZIP,
                StoreLayerEntries.producer(List.of(q, p), new LocalStoreSource()));
        String f = blob.file().toString();

        Path out = Files.createDirectory(tmp.resolve("out"));
        Tools.ok("tar", "-xzpf", f, "-C", out.toString());
        for (StorePath s : List.of(p, q)) {
            Path extracted = out.resolve("nix/store/" + s.baseName());
            Tools.ok("diff", "-r", "--no-dereference", extracted.toString(), s.fullPath());
            // the NAR of the extracted tree is the NAR of the store path: same types, exec bits, contents, targets
            assertThat(Tools.sha256Of("nix-store --dump " + extracted))
                    .isEqualTo(Tools.sha256Of("nix-store --dump " + s.fullPath()));
        }
        assertThat(Files.getPosixFilePermissions(out.resolve("nix/store/" + p.baseName() + "/bin/run")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));

        List<String> listing = Tools.lines(Tools.ok("tar", "--numeric-owner", "-tvzf", f));
        String base = "nix/store/" + p.baseName();
        assertThat(listing.get(0)).isEqualTo("drwxr-xr-x 0/0               0 1970-01-01 00:00 nix/");
        assertThat(listing.get(1)).isEqualTo("drwxr-xr-x 0/0               0 1970-01-01 00:00 nix/store/");
        assertThat(listing).contains(
                "dr-xr-xr-x 0/0               0 1970-01-01 00:00 " + base + "/",
                "-r-xr-xr-x 0/0              19 1970-01-01 00:00 " + base + "/bin/run",
                "-r-xr-xr-x 0/0              19 1970-01-01 00:00 " + base + "/bin/run-hardlink",
                "-r--r--r-- 0/0               6 1970-01-01 00:00 " + base + "/hello",
                "lrwxrwxrwx 0/0               0 1970-01-01 00:00 " + base + "/lib/dir-link -> ../bin",
                "-r--r--r-- 0/0               4 1970-01-01 00:00 nix/store/" + q.baseName());
        assertThat(listing).noneMatch(l -> l.startsWith("h")); // no hardlink entries
        // store paths in base-name order, whatever order they were given in
        int pi = listing.indexOf("dr-xr-xr-x 0/0               0 1970-01-01 00:00 " + base + "/");
        int qi = listing.indexOf("-r--r--r-- 0/0               4 1970-01-01 00:00 nix/store/" + q.baseName());
        assertThat(pi < qi).isEqualTo(p.compareTo(q) < 0);
        assertThat(Tools.sha256Of("gzip -dc " + f)).isEqualTo(blob.diffId().hex());

        // a second write gives the same blob
        Path again = Files.createDirectory(tmp.resolve("again"));
        LayerBlob blob2 = LayerWriter.write(again, Compression.GZIP,
                StoreLayerEntries.producer(List.of(p, q), new LocalStoreSource()));
        assertThat(blob2.digest()).isEqualTo(blob.digest());
        assertThat(blob2.diffId()).isEqualTo(blob.diffId());
    }
}
