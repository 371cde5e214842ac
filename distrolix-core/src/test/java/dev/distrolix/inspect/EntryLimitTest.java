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

/** An image's entries are counted over its layers as they are read; past the limit it is refused (1,000,000 in use). */
class EntryLimitTest {
    @TempDir
    Path tmp;

    @Test
    void anImageWithMoreEntriesThanTheLimitIsRefusedWhereItPassesIt() throws IOException {
        Tar base = new Tar().dir("etc", 0755);
        for (int i = 0; i < 11; i++) {
            base.file("etc/f" + i, "x");
        }
        Tar top = new Tar().dir("opt", 0755);
        for (int i = 0; i < 8; i++) {
            top.file("opt/g" + i, "y");
        }
        Path layout = TestLayouts.ociLayout(tmp.resolve("img"), List.of(base.bytes(), top.bytes()), TestLayouts.Zip.GZIP, false);
        int limit = LayerWalker.maxEntries;
        try {
            LayerWalker.maxEntries = 21; // 12 + 9 entries: exactly the limit
            assertThat(read(layout).entries()).hasSize(21);
            LayerWalker.maxEntries = 20;
            assertThatThrownBy(() -> read(layout)).isInstanceOf(InputException.class)
                    .hasMessageMatching("oci:.*/img: layer 2 \\(sha256:[0-9a-f]{12}…\\): the image has more than 20 files, directories"
                            + " and links \\(distrolix reads at most that many\\)");
        } finally {
            LayerWalker.maxEntries = limit;
        }
    }

    private static FlatFilesystem read(Path layout) throws IOException {
        try (OpenedImage o = Transports.open("oci:" + layout, RegistrySettings.defaults())) {
            return FlatFilesystem.read(o.image());
        }
    }
}
