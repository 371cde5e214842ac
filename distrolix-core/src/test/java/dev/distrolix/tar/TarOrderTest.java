package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import static dev.distrolix.tar.Tools.dir;
import static dev.distrolix.tar.Tools.file;
import static dev.distrolix.tar.Tools.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order, uniqueness and validity rules of the writer. */
class TarOrderTest {
    @Test
    void tarOrderIsComponentWiseByUnsignedBytes() {
        List<String> sorted = new ArrayList<>(List.of("a-b", "a/b", "a", "ab", "a/b/c", "a/c", "B", "b",
                "\uff21", "\ud83d\ude00", "a.b", "a/b-c", "a/b/d"));
        sorted.sort(TarPaths::compare);
        // "a" < its children < "a-b" ('/' is below every byte); U+FF21 (EF BC A1) < U+1F600 (F0 ...)
        // although String.compareTo orders the surrogate pair D83D first
        assertThat(sorted).containsExactly("B", "a", "a/b", "a/b/c", "a/b/d", "a/b-c", "a/c", "a-b", "a.b", "ab",
                "b", "\uff21", "\ud83d\ude00");
        assertThat("\ud83d\ude00".compareTo("\uff21")).isNegative();
    }

    @Test
    void outOfOrderEntryIsRejectedWithItsPath() {
        ReproducibleTarWriter w = new ReproducibleTarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> {
            w.write(dir("nix"));
            w.write(dir("nix/store"));
            w.write(file("nix/store-x", 0444, ""));
            w.write(file("nix/store/a", 0444, "")); // a child of nix/store after nix/store-x
        }).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nix/store/a'").hasMessageContaining("out of tar order")
                .hasMessageContaining("'nix/store-x'");
    }

    @Test
    void siblingsMustAscendAndParentsPrecedeChildren() {
        assertThatThrownBy(() -> Tools.tar(List.of(file("b", 0444, ""), file("a", 0444, ""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> Tools.tar(List.of(file("x/y", 0444, ""), dir("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }

    @Test
    void duplicatesAreRejectedEvenAcrossTypes() {
        assertThatThrownBy(() -> Tools.tar(List.of(dir("nix"), dir("nix/store"), dir("nix/store"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate layer entry 'nix/store'");
        assertThatThrownBy(() -> Tools.tar(List.of(dir("etc"), link("etc", "/x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate").hasMessageContaining("'etc'");
    }

    @Test
    void invalidNamesAreRejected() {
        for (String bad : List.of("/abs", "./x", "x/", "a//b", "a/../b", "a/./b", "..", "", "nul\0byte", "bad\ud800")) {
            assertThatThrownBy(() -> Tools.tar(List.of(file(bad, 0444, ""))))
                    .as("'%s'", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Tools.tar(List.of(new LayerEntry.Directory("d", 040755, LayerEntry.Ownership.ROOT, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'d'");
        assertThatThrownBy(() -> Tools.tar(List.of(link("l", ""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'l'");
    }

    @Test
    void rejectedEntryLeavesTheStreamIntact() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReproducibleTarWriter w = new ReproducibleTarWriter(out);
        w.write(dir("a"));
        assertThatThrownBy(() -> w.write(dir("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.write(file("/abs", 0444, ""))).isInstanceOf(IllegalArgumentException.class);
        w.write(file("a/f", 0444, "x"));
        w.finish();
        assertThat(out.toByteArray()).isEqualTo(Tools.tar(List.of(dir("a"), file("a/f", 0444, "x"))));
        assertThat(w.bytesWritten()).isEqualTo(out.size());
    }

    @Test
    void contentThatDoesNotMatchItsSizeFailsTheLayer(@TempDir Path tmp) {
        var shorter = new LayerEntry.RegularFile("f", 0444, LayerEntry.Ownership.ROOT, 1, 10,
                () -> new ByteArrayInputStream(new byte[4]));
        assertThatThrownBy(() -> Tools.tar(List.of(shorter))).isInstanceOf(IOException.class)
                .hasMessageContaining("'f'").hasMessageContaining("declared size 10");
        var longer = new LayerEntry.RegularFile("g", 0444, LayerEntry.Ownership.ROOT, 1, 2,
                () -> new ByteArrayInputStream(new byte[4]));
        assertThatThrownBy(() -> LayerWriter.write(tmp, Compression.GZIP, s -> s.accept(longer)))
                .isInstanceOf(IOException.class).hasMessageContaining("'g'").hasMessageContaining("longer");
        // the failed layer leaves nothing behind
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void producerFailureDeletesTheTemporaryFile(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> LayerWriter.write(tmp, Compression.ZSTD, s -> {
            s.accept(dir("a"));
            s.accept(dir("0"));
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0'");
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
    }
}
