package dev.distrolix.nix;

import dev.distrolix.InputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PackageRefTest {
    private static final String STORE = "/nix/store/lnclicgsdh19ghszjbsd6mjivzjddqdx-leaf";

    @Test
    void storePathAndPathInsideOne() {
        assertThat(PackageRef.parse(STORE, Optional.empty()))
                .isEqualTo(new PackageRef.StorePathRef(StorePath.parse(STORE)));
        assertThat(PackageRef.parse(STORE + "/bin/leaf", Optional.empty()))
                .isEqualTo(new PackageRef.StorePathRef(StorePath.parse(STORE)));
    }

    @Test
    void attributesUseTheGivenSetOrNixpkgs() {
        assertThat(PackageRef.parse("hello", Optional.empty()))
                .isEqualTo(new PackageRef.Attribute(Optional.empty(), "hello"));
        assertThat(PackageRef.parse("python3Packages.requests", Optional.of(Path.of("/src/pkgs"))))
                .isEqualTo(new PackageRef.Attribute(Optional.of(Path.of("/src/pkgs")), "python3Packages.requests"));
    }

    @Test
    void nixFiles() {
        assertThat(PackageRef.parse("./app.nix", Optional.empty()))
                .isEqualTo(new PackageRef.NixFile(Path.of("./app.nix"), Optional.empty()));
        assertThat(PackageRef.parse("app.nix#server.bin", Optional.empty()))
                .isEqualTo(new PackageRef.NixFile(Path.of("app.nix"), Optional.of("server.bin")));
        assertThat(PackageRef.parse("./pkgs", Optional.empty()))
                .isEqualTo(new PackageRef.NixFile(Path.of("./pkgs"), Optional.empty()));
    }

    @Test
    void flakes() {
        assertThat(PackageRef.parse(".#hello", Optional.empty())).isEqualTo(new PackageRef.Flake(".#hello"));
        assertThat(PackageRef.parse("github:NixOS/nixpkgs#hello", Optional.empty()))
                .isEqualTo(new PackageRef.Flake("github:NixOS/nixpkgs#hello"));
        assertThat(PackageRef.parse("flake:path:/src", Optional.empty())).isEqualTo(new PackageRef.Flake("path:/src"));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> PackageRef.parse("  ", Optional.empty())).isInstanceOf(InputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> PackageRef.parse("hello world", Optional.empty()))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("not a package reference: 'hello world'");
        assertThatThrownBy(() -> PackageRef.parse("a.nix#b c", Optional.empty()))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("not an attribute path");
        assertThatThrownBy(() -> new PackageRef.Attribute(Optional.empty(), "a..b"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("not an attribute path");
    }
}
