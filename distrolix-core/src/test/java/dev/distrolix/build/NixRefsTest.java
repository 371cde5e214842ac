package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.nix.PackageRef;
import dev.distrolix.nix.StorePath;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the spec's package references become what the Nix client builds: no Nix runs here. */
class NixRefsTest {
    static final String NGINX = "/nix/store/0c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5-nginx-1.22.1";

    @TempDir
    Path dir;

    ImageSpec spec(String nixpkgsLine) throws IOException {
        Files.createDirectories(dir.resolve("pkgs"));
        Files.writeString(dir.resolve("pkgs/app.nix"), "{ bin = null; }");
        return SpecLoader.load(Files.writeString(dir.resolve("image.yaml"), "name: app\n" + nixpkgsLine + """
                packages:
                  - python3Packages.flask
                  - %s
                  - pkgs/app.nix#bin
                  - pkgs/app.nix
                  - nixpkgs#hello
                """.formatted(NGINX)));
    }

    List<PackageRef> refs(ImageSpec spec) {
        return spec.packages().stream().map(r -> NixRefs.of(r, spec)).toList();
    }

    @Test
    void everyFormMapsToItsKindAndWithoutNixpkgsAttributesUseTheSearchPath() throws IOException {
        assertThat(refs(spec(""))).containsExactly(
                new PackageRef.Attribute(Optional.empty(), "python3Packages.flask"),
                new PackageRef.StorePathRef(StorePath.parse(NGINX)),
                new PackageRef.NixFile(dir.resolve("pkgs/app.nix"), Optional.of("bin")),
                new PackageRef.NixFile(dir.resolve("pkgs/app.nix"), Optional.empty()),
                new PackageRef.Flake("nixpkgs#hello"));
    }

    @Test
    void aNixpkgsPathIsThePackageSetOfEveryAttribute() throws IOException {
        Files.createDirectories(dir.resolve("my-nixpkgs"));
        ImageSpec spec = spec("nixpkgs: ./my-nixpkgs\n");
        assertThat(NixRefs.of(spec.packages().get(0), spec))
                .isEqualTo(new PackageRef.Attribute(Optional.of(dir.resolve("my-nixpkgs")), "python3Packages.flask"));
        assertThat(NixRefs.of(spec.packages().get(4), spec)).as("flakes ignore it").isEqualTo(new PackageRef.Flake("nixpkgs#hello"));
    }

    @Test
    void angleBracketNixpkgsIsTheSearchPathAndAnyOtherNameIsRefused() throws IOException {
        ImageSpec nixpkgs = spec("nixpkgs: <nixpkgs>\n");
        assertThat(NixRefs.of(nixpkgs.packages().get(0), nixpkgs))
                .isEqualTo(new PackageRef.Attribute(Optional.empty(), "python3Packages.flask"));

        ImageSpec other = spec("nixpkgs: <unstable>\n");
        assertThatThrownBy(() -> NixRefs.of(other.packages().get(0), other))
                .isInstanceOf(InputException.class)
                .hasMessage(other.file() + ": nixpkgs: only <nixpkgs> or a path is supported, not <unstable>");
        assertThat(NixRefs.of(other.packages().get(1), other)).as("a store path needs no package set")
                .isEqualTo(new PackageRef.StorePathRef(StorePath.parse(NGINX)));
    }
}
