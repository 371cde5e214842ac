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

/** What an image holds once applied (1,000,000 in use) and the entries its layers have (3,000,000) are bounded apart. */
class EntryLimitTest {
    @TempDir
    Path tmp;

    @Test
    void anImageHoldingMoreThanTheLimitIsRefusedWhereItPassesIt() throws IOException {
        Tar base = new Tar().dir("etc", 0755);
        for (int i = 0; i < 11; i++) {
            base.file("etc/f" + i, "x");
        }
        Tar top = new Tar().dir("opt", 0755);
        for (int i = 0; i < 8; i++) {
            top.file("opt/g" + i, "y");
        }
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), List.of(base.bytes(), top.bytes()), TestLayouts.Zip.GZIP, false);
        int limit = FlatFilesystem.maxHeld;
        try {
            FlatFilesystem.maxHeld = 21; // 12 + 9 entries: exactly the limit
            assertThat(read(layout).entries()).hasSize(21);
            FlatFilesystem.maxHeld = 20;
            assertThatThrownBy(() -> read(layout)).isInstanceOf(InputException.class)
                    .hasMessageMatching("oci:.*/img: layer 2 \\(sha256:[0-9a-f]{12}…\\): the image holds more than 20 files,"
                            + " directories and links \\(distrolix reads at most that many\\)");
        } finally {
            FlatFilesystem.maxHeld = limit;
        }
    }

    /** A layer rewriting every file (a chown -R) holds no more files, but its entries are read: counted apart. */
    @Test
    void rewrittenFilesCountAsEntriesReadNotAsFilesHeld() throws IOException {
        Tar base = new Tar().dir("etc", 0755);
        Tar chown = new Tar().dir("etc", 0755);
        for (int i = 0; i < 10; i++) {
            base.file("etc/f" + i, "x");
            chown.file("etc/f" + i, "x", 0644, 1000, 1000);
        }
        Path layout = TestLayouts.ociLayout(tmp.resolve("chown"), List.of(base.bytes(), chown.bytes()), TestLayouts.Zip.GZIP,
                false);
        int held = FlatFilesystem.maxHeld;
        int read = LayerWalker.maxEntries;
        try {
            FlatFilesystem.maxHeld = 11; // the 11 paths
            LayerWalker.maxEntries = 22; // the 22 entries
            assertThat(read(layout).entries()).hasSize(11).filteredOn(e -> e.type() == FsEntry.Type.FILE).hasSize(10)
                    .allSatisfy(e -> assertThat(e.uid()).isEqualTo(1000));
            LayerWalker.maxEntries = 21;
            assertThatThrownBy(() -> read(layout)).isInstanceOf(InputException.class)
                    .hasMessageEndingWith("the image's layers have more than 21 entries (distrolix reads at most that many)");
        } finally {
            FlatFilesystem.maxHeld = held;
            LayerWalker.maxEntries = read;
        }
    }

    private static FlatFilesystem read(Path layout) throws IOException {
        try (OpenedImage o = Transports.open("oci:" + layout, RegistrySettings.defaults())) {
            return FlatFilesystem.read(o.image());
        }
    }
}
