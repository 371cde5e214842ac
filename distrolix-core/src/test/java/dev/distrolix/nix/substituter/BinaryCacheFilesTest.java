package dev.distrolix.nix.substituter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.nix.StorePath;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file:// cache whose entries are not files: refused at once, not waited on nor read forever nor retried. */
class BinaryCacheFilesTest {
    private static final StorePath PATH = StorePath.parse("/nix/store/00000000000000000000000000000000-hello-1.0");

    @TempDir
    Path cache;

    @Test
    void aNarinfoThatIsADeviceOrAFolderIsAnInputError() throws Exception {
        BinaryCache c = BinaryCache.of(cache.toUri().toString(), Retry.ONCE);
        Path narinfo = cache.resolve(PATH.hashPart() + ".narinfo");
        Files.createSymbolicLink(narinfo, Path.of("/dev/zero"));
        assertThatThrownBy(() -> c.narInfo(PATH)).isInstanceOf(InputException.class)
                .hasMessageEndingWith(".narinfo: not a regular file (a binary cache's narinfo and NAR files are files)");
        Files.delete(narinfo);
        Files.createDirectory(narinfo);
        assertThatThrownBy(() -> c.narInfo(PATH)).isInstanceOf(InputException.class)
                .hasMessageContaining("not a regular file");
        Files.delete(narinfo);
        assertThat(c.narInfo(PATH)).isEmpty();
    }
}
