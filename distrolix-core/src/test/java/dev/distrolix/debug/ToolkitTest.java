package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixInputException;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toolkit spec and its content-derived name, resolved by the real Nix over the Debian package set. */
class ToolkitTest {
    static final List<String> INCLUDES = List.of("nixpkgs=" + Fixtures.debianPackageSet());

    @TempDir
    Path tmp;

    @Test
    void theShippedSpecIsBusyboxAndStraceWithStraceFirstOnPath() throws Exception {
        Path file = tmp.resolve("toolkit.yaml");
        Files.writeString(file, Toolkit.standard().specText());
        ImageSpec spec = SpecLoader.load(file);
        assertThat(spec.name()).isEqualTo("distrolix-toolkit");
        assertThat(Toolkit.standard().packages()).containsExactly("busybox", "strace");
        assertThat(spec.profile().orElseThrow().packages()).containsExactly("strace");
        assertThat(spec.config().env()).containsKey("PATH");
        assertThat(Toolkit.standard().specText()).contains("PATH: /bin:/opt/busybox/bin");
    }

    @Test
    void otherPackagesReplaceTheExtrasAndBusyboxIsAlwaysThere() throws Exception {
        Toolkit t = Toolkit.withPackages(List.of("strace", "busybox", "nginx", "strace"), tmp);
        assertThat(t.packages()).containsExactly("busybox", "strace", "nginx");
        Path file = tmp.resolve("t.yaml");
        Files.writeString(file, t.specText());
        assertThat(SpecLoader.load(file).profile().orElseThrow().packages()).containsExactly("strace", "nginx");
        Toolkit bare = Toolkit.withPackages(List.of(), tmp);
        assertThat(bare.packages()).containsExactly("busybox");
        Files.writeString(file, bare.specText());
        assertThat(SpecLoader.load(file).profile()).isEmpty();
        Files.writeString(tmp.resolve("tools.nix"), "{ gdb = null; }");
        assertThat(Toolkit.withPackages(List.of("./tools.nix#gdb"), tmp).specText()).contains(tmp.resolve("tools.nix#gdb").toString());
        assertThatThrownBy(() -> Toolkit.withPackages(List.of(" "), tmp)).hasMessage("--packages: empty package name");
    }

    @IntegrationTest
    @Test
    void theImageIsNamedByItsSpecAndStorePathsStablyAndTheFolderIsRemoved() {
        NixCli nix = NixCli.create();
        Toolkit.Prepared a = Toolkit.standard().prepare(nix, INCLUDES);
        Toolkit.Prepared b = Toolkit.standard().prepare(nix, INCLUDES);
        Toolkit.Prepared other = Toolkit.withPackages(List.of("strace", "nginx"), tmp).prepare(nix, INCLUDES);
        try {
            assertThat(a.image()).matches("localhost/distrolix-toolkit:[0-9a-f]{20}").isEqualTo(b.image());
            assertThat(other.image()).isNotEqualTo(a.image());
            assertThat(a.storePaths()).containsExactly(Fixtures.storePath("busybox"), Fixtures.storePath("strace"));
            assertThat(a.specFile()).exists();
        } finally {
            a.close();
            b.close();
            other.close();
        }
        assertThat(a.dir()).doesNotExist();
    }

    /** Packages built already are evaluated (one Nix evaluation), not built: a nix-build that only fails is never run. */
    @IntegrationTest
    @Test
    void packagesBuiltAlreadyAreEvaluatedNotBuilt() throws Exception {
        Toolkit.Prepared built = Toolkit.standard().prepare(NixCli.create(), INCLUDES); // builds what is missing
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path called = tmp.resolve("nix-build-called");
        Fixtures.script(bin.resolve("nix-build"), "touch '" + called + "'\nexit 1");
        NixCli noBuild = NixCli.builder().searchPath(bin + ":" + System.getenv("PATH")).build();
        Toolkit.Prepared evaluated = Toolkit.standard().prepare(noBuild, INCLUDES);
        try {
            assertThat(evaluated.image()).isEqualTo(built.image());
            assertThat(evaluated.storePaths()).isEqualTo(built.storePaths());
            assertThat(called).doesNotExist();
        } finally {
            built.close();
            evaluated.close();
        }
    }

    @IntegrationTest
    @Test
    void aMissingPackageOrPackageSetIsOneLineAndLeavesNoFolder() throws Exception {
        long before = tempFolders();
        assertThatThrownBy(() -> Toolkit.withPackages(List.of("nosuchtool"), tmp).prepare(NixCli.create(), INCLUDES))
                .isInstanceOf(NixInputException.class)
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessageStartingWith("the debug toolkit: attribute 'nosuchtool' not found in <nixpkgs>");
        NixCli noNixPath = NixCli.builder().environment("NIX_PATH", "").build();
        assertThatThrownBy(() -> Toolkit.standard().prepare(noNixPath, List.of()))
                .hasMessage("the debug toolkit needs a Nix package set: pass -I nixpkgs=PATH (on a machine without"
                        + " nixpkgs, e.g. distrolix's testing/debian-pkgs) or set NIX_PATH; or use --image REF");
        assertThat(tempFolders()).isEqualTo(before);
    }

    private static long tempFolders() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("distrolix-toolkit-")).count();
        }
    }
}
