package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Nix is handed to read is a file or a folder: a pipe or a device is refused before Nix starts. */
class NixCliIncludesTest {
    @TempDir
    Path tmp;

    @Test
    void anIncludeOrANixFileThatIsADeviceIsRefusedBeforeNixRuns() throws Exception {
        Path zero = Files.createSymbolicLink(tmp.resolve("zero.nix"), Path.of("/dev/zero"));
        NixCli nix = NixCli.builder().binDir(tmp.resolve("no-nix")).build(); // refused before any Nix program runs
        PackageRef hello = new PackageRef.Attribute(Optional.empty(), "hello");
        assertThatThrownBy(() -> nix.resolve(hello, List.of("nixpkgs=" + zero))).isInstanceOf(InputException.class)
                .hasMessage("-I nixpkgs=" + zero + ": " + zero + " is neither a file nor a folder (Nix would wait on a"
                        + " pipe, or read a device without end)");
        assertThatThrownBy(() -> nix.resolve(hello, List.of(zero.toString()))).isInstanceOf(InputException.class)
                .hasMessageStartingWith("-I " + zero + ": ");
        assertThatThrownBy(() -> nix.resolve(new PackageRef.NixFile(zero, Optional.empty()), List.of()))
                .isInstanceOf(InputException.class).hasMessageContaining("is neither a file nor a folder");
    }
}
