package dev.distrolix.spec;

import dev.distrolix.nix.PackageRef;
import dev.distrolix.nix.PackageRef.Attribute;
import dev.distrolix.nix.PackageRef.Flake;
import dev.distrolix.nix.PackageRef.NixFile;
import dev.distrolix.nix.PackageRef.StorePathRef;

import dev.distrolix.nix.DrvName;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.nix.StorePath;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The string and map forms of {@code packages} entries and the names they get by default. */
class PackageRefTest {
    private static final String HASH = "0c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5";

    @TempDir
    Path dir;
    SpecFiles files;

    @BeforeEach
    void setUp() {
        files = new SpecFiles(dir);
        files.write("pkgs/app.nix", "{ }");
        files.write("pkgs/tool/default.nix", "{ }");
    }

    private List<PackageEntry> packages(String yamlList) {
        return files.load("image.yaml", "name: app\npackages:\n" + yamlList).packages();
    }

    @ParameterizedTest
    @CsvSource({
        "nginx-1.22.1, nginx, 1.22.1",
        "openssl-3.0.11, openssl, 3.0.11",
        "python3-3.11.7, python3, 3.11.7",
        "hello, hello, ''",
        "xz-5.4.4-bin, xz, 5.4.4-bin",
        "gtk+3-3.24, gtk+3, 3.24",
        "my-tool-x-2, my-tool-x, 2",
    })
    void drvNameSplitsAtTheFirstDashBeforeADigit(String drvName, String name, String version) {
        assertThat(DrvName.parse(drvName)).isEqualTo(new DrvName(name, version));
    }

    @Test
    void stringForms() {
        List<PackageEntry> refs = packages("""
                  - curl
                  - python3Packages.flask
                  - /nix/store/%s-nginx-1.22.1
                  - /nix/store/%s-openssl-3.0.11
                  - /nix/store/%s-python3-3.11.7
                  - ./pkgs/app.nix
                  - pkgs/app.nix#passthru.tests.smoke
                  - pkgs/tool/default.nix
                  - nixpkgs#hello
                  - "github:NixOS/nixpkgs/nixos-24.05#python3Packages.requests"
                  - flake:nixpkgs#libxml2^dev
                  - "github:owner/repo"
                """.formatted(HASH.replace('0', '1'), HASH.replace('0', '2'), HASH.replace('0', '3')));

        assertThat(refs).extracting(PackageEntry::name).containsExactly("curl", "flask", "nginx", "openssl",
                "python3", "app", "smoke", "tool", "hello", "requests", "libxml2", "github:owner/repo");
    }

    @Test
    void stringFormsBindToTheirKinds() {
        List<PackageEntry> refs = packages("""
                  - python3Packages.flask
                  - /nix/store/%s-nginx-1.22.1
                  - pkgs/app.nix#passthru.tests.smoke
                  - pkgs/app.nix
                  - flake:nixpkgs#hello
                  - "github:owner/repo"
                """.formatted(HASH));

        assertThat(refs).extracting(PackageEntry::name)
                .containsExactly("flask", "nginx", "smoke", "app", "hello", "github:owner/repo");
        assertThat(refs.get(0).ref()).isEqualTo(new Attribute(Optional.empty(), "python3Packages.flask"));
        assertThat(refs.get(1).ref()).isEqualTo(
                new StorePathRef(StorePath.parse("/nix/store/" + HASH + "-nginx-1.22.1")));
        assertThat(refs.get(2).ref()).isInstanceOfSatisfying(NixFile.class, r -> {
            assertThat(r.file()).isEqualTo(dir.resolve("pkgs/app.nix"));
            assertThat(r.attrPath()).contains("passthru.tests.smoke");
        });
        assertThat(refs.get(3).ref()).isInstanceOfSatisfying(NixFile.class, r -> assertThat(r.attrPath()).isEmpty());
        assertThat(refs.get(4).ref()).isEqualTo(new Flake("nixpkgs#hello"));
        assertThat(refs.get(5).ref()).isEqualTo(new Flake("github:owner/repo"));
    }

    @Test
    void mapForms() {
        List<PackageEntry> refs = packages("""
                  - { attr: nginx, name: web }
                  - { store-path: /nix/store/%s-openssl-3.0.11 }
                  - { file: pkgs/app.nix, attr: bin, name: app-bin }
                  - { file: pkgs/tool }
                  - { flake: "nixpkgs#hello", name: greeter }
                """.formatted(HASH));

        assertThat(refs).extracting(PackageEntry::name).containsExactly("web", "openssl", "app-bin", "tool", "greeter");
        assertThat(refs.get(2).ref()).isInstanceOfSatisfying(NixFile.class,
                r -> assertThat(r.attrPath()).isEqualTo(Optional.of("bin")));
        assertThat(refs.get(3).ref()).isInstanceOfSatisfying(NixFile.class,
                r -> assertThat(r.file()).isEqualTo(dir.resolve("pkgs/tool")));
    }

    @Test
    void mapFormErrors() throws Exception {
        files.assertError("image.yaml", "name: app\npackages:\n  - { attr: nginx, flake: \"nixpkgs#nginx\" }\n",
                "image.yaml:3:20: packages[0]: 'attr' and 'flake' cannot be combined (only 'file' takes an 'attr')");
        files.assertError("image.yaml", "name: app\npackages:\n  - { name: web }\n",
                "image.yaml:3:5: packages[0]: a package needs one of 'attr', 'store-path', 'file' or 'flake'");
        files.assertError("image.yaml", "name: app\npackages:\n  - { atr: nginx }\n",
                "image.yaml:3:7: packages[0]: unknown key 'atr' (did you mean 'attr'?)");
        files.assertError("image.yaml", "name: app\npackages: [./missing.nix]\n",
                "image.yaml:2:12: packages[0]: ./missing.nix does not exist (looked for " + dir + "/missing.nix)");
        java.nio.file.Files.createSymbolicLink(dir.resolve("zero.nix"), java.nio.file.Path.of("/dev/zero"));
        files.assertError("image.yaml", "name: app\npackages: [./zero.nix]\n", "image.yaml:2:12: packages[0]:"
                + " ./zero.nix is neither a file nor a folder (Nix would wait on a pipe, or read a device without end)");
        files.assertError("image.yaml", "name: app\nnixpkgs: ./zero.nix\npackages: [hello]\n", "image.yaml:2:10:"
                + " nixpkgs: './zero.nix' is neither a file nor a folder (Nix would wait on a pipe, or read a device"
                + " without end)");
        files.assertError("image.yaml", "name: app\npackages: [\"hello world\"]\n",
                "image.yaml:2:12: packages[0]: 'hello world' is not an attribute path, store path, .nix file or"
                        + " flake reference");
    }
}
