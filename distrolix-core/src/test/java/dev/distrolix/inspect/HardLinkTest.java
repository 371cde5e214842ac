package dev.distrolix.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.TestLayouts;
import dev.distrolix.transport.TestLayouts.Tar;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hard link is read as link(2) makes it: to an entry that is there and is not a directory, or the image is refused. */
class HardLinkTest {
    @TempDir
    Path tmp;

    /**
     * /c links to /b, itself a link to /a, which a whiteout removed: link(2) on /b still works. With a symlink in the
     * image (as nearly every distribution has: /lib -> usr/lib) entries are placed through the tree, and a link to a
     * link is followed to its first file: only while that file is there.
     */
    @Test
    void aLinkToALinkWhoseFirstFileIsGoneIsReadAsTheSecondLink() throws IOException {
        for (boolean symlink : new boolean[] {false, true}) {
            Tar base = new Tar().file("a", "content of a").hardlink("b", "a");
            if (symlink) {
                base.dir("usr", 0755).dir("usr/lib", 0755).symlink("lib", "usr/lib");
            }
            List<byte[]> layers = List.of(base.bytes(), new Tar().file(".wh.a", "").bytes(),
                    new Tar().hardlink("c", "b").bytes());
            FlatFilesystem fs = read(TestLayouts.ociLayout(tmp.resolve("chain" + symlink), layers, TestLayouts.Zip.GZIP,
                    false));
            FsEntry b = fs.entries().stream().filter(e -> e.path().equals("/b")).findFirst().orElseThrow();
            FsEntry c = fs.entries().stream().filter(e -> e.path().equals("/c")).findFirst().orElseThrow();
            assertThat(c.sha256()).as("symlink %s", symlink).isNotNull().isEqualTo(b.sha256());
            assertThat(fs.entries().stream().map(FsEntry::path)).doesNotContain("/a");
        }
    }

    @Test
    void aLinkToNothingOrToADirectoryIsRefused() throws IOException {
        Path gone = TestLayouts.ociLayout(tmp.resolve("gone"), List.of(new Tar().file("a", "x").bytes(),
                new Tar().file(".wh.a", "").bytes(), new Tar().hardlink("c", "a").bytes()), TestLayouts.Zip.GZIP, false);
        assertThatThrownBy(() -> read(gone)).isInstanceOf(InputException.class)
                .hasMessageMatching("oci:.*gone: layer 3 \\(sha256:[0-9a-f]{12}…\\): hard link /c -> /a names no file before"
                        + " it in the image \\(a container engine cannot unpack it\\)");
        Path dir = TestLayouts.ociLayout(tmp.resolve("dir"), List.of(new Tar().dir("d", 0755).hardlink("c", "d").bytes()),
                TestLayouts.Zip.GZIP, false);
        assertThatThrownBy(() -> read(dir)).isInstanceOf(InputException.class)
                .hasMessageEndingWith("hard link /c -> /d names a directory (a container engine cannot unpack it)");
    }

    private static FlatFilesystem read(Path layout) throws IOException {
        try (OpenedImage o = Transports.open("oci:" + layout, RegistrySettings.defaults())) {
            return FlatFilesystem.read(o.image());
        }
    }
}
