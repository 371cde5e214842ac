package dev.distrolix.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Compression;
import dev.distrolix.nix.StorePath;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.LayerEntry.Ownership;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cache keys change exactly when a layer's bytes would. */
class LayerKeysTest {
    static final StorePath A = StorePath.parse("/nix/store/0c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5-nginx-1.22.1");
    static final StorePath B = StorePath.parse("/nix/store/1c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5-zlib-1.2.13");

    static LayerEntry.RegularFile file(String path, int mode, Ownership owner, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new LayerEntry.RegularFile(path, mode, owner, 1, b.length, () -> new ByteArrayInputStream(b));
    }

    @Test
    void aStoreLayerKeyIsItsSortedPathsAndCompression() {
        String key = LayerKeys.storeLayer(List.of(A, B), Compression.GZIP);
        assertThat(key).matches("[0-9a-f]{64}");
        assertThat(LayerKeys.storeLayer(List.of(B, A, B), Compression.GZIP)).as("order and duplicates").isEqualTo(key);
        assertThat(LayerKeys.storeLayer(List.of(A), Compression.GZIP)).isNotEqualTo(key);
        assertThat(LayerKeys.storeLayer(List.of(A, B), Compression.ZSTD)).isNotEqualTo(key);
        assertThat(LayerKeys.storeLayer(List.of(A, B), Compression.NONE)).isNotEqualTo(key);
    }

    @Test
    void anEntriesLayerKeyCoversEveryHeaderFieldAndTheContent() throws Exception {
        Ownership app = new Ownership(1000, 1000, "app", "app");
        List<LayerEntry> base = List.of(new LayerEntry.Directory("etc", 0755, Ownership.ROOT, 1),
                file("etc/app.conf", 0644, Ownership.ROOT, "port=80\n"),
                new LayerEntry.Symlink("bin", "/nix/store/x/bin", Ownership.ROOT, 1));
        String key = LayerKeys.entriesLayer(base, Compression.GZIP);
        assertThat(LayerKeys.entriesLayer(List.copyOf(base), Compression.GZIP)).as("same entries").isEqualTo(key);
        assertThat(key).matches("[0-9a-f]{64}");

        List<List<LayerEntry>> changes = List.of(
                List.of(base.get(0), file("etc/app.conf", 0644, Ownership.ROOT, "port=81\n"), base.get(2)),
                List.of(base.get(0), file("etc/app.conf", 0600, Ownership.ROOT, "port=80\n"), base.get(2)),
                List.of(base.get(0), file("etc/app.conf", 0644, app, "port=80\n"), base.get(2)),
                List.of(base.get(0), file("etc/app.cfg", 0644, Ownership.ROOT, "port=80\n"), base.get(2)),
                List.of(base.get(0), base.get(1), new LayerEntry.Symlink("bin", "/nix/store/y/bin", Ownership.ROOT, 1)),
                List.of(new LayerEntry.Directory("etc", 0755, Ownership.ROOT, 2), base.get(1), base.get(2)),
                List.of(base.get(0), base.get(1)));
        for (List<LayerEntry> changed : changes) {
            assertThat(LayerKeys.entriesLayer(changed, Compression.GZIP)).as("%s", changed).isNotEqualTo(key);
        }
        assertThat(LayerKeys.entriesLayer(base, Compression.ZSTD)).isNotEqualTo(key);
    }

    @Test
    void aStoreLayerAndAnEntriesLayerNeverShareAKey() throws Exception {
        assertThat(LayerKeys.storeLayer(List.of(), Compression.GZIP))
                .isNotEqualTo(LayerKeys.entriesLayer(List.of(), Compression.GZIP));
    }
}
