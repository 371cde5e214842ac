package dev.distrolix.nix;

import dev.distrolix.InputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NixSystemTest {
    @ParameterizedTest
    @CsvSource({
        "x86_64-linux, amd64, linux, ''",
        "aarch64-linux, arm64, linux, v8",
        "aarch64-darwin, arm64, darwin, v8",
        "x86_64-darwin, amd64, darwin, ''",
        "i686-linux, 386, linux, ''",
        "armv7l-linux, arm, linux, v7",
        "armv6l-linux, arm, linux, v6",
        "riscv64-linux, riscv64, linux, ''",
        "powerpc64le-linux, ppc64le, linux, ''",
        "s390x-linux, s390x, linux, ''",
    })
    void mapsToOciPlatform(String system, String arch, String os, String variant) {
        NixSystem s = NixSystem.parse(system);
        assertThat(s.nixSystem()).isEqualTo(system);
        assertThat(s.architecture()).isEqualTo(arch);
        assertThat(s.os()).isEqualTo(os);
        assertThat(s.variant().orElse("")).isEqualTo(variant);
    }

    @ParameterizedTest
    @CsvSource({
        "linux/amd64, x86_64-linux",
        "linux/arm64, aarch64-linux",
        "linux/arm64/v8, aarch64-linux",
        "linux/386, i686-linux",
        "linux/arm/v7, armv7l-linux",
        "linux/arm/v6, armv6l-linux",
        "linux/riscv64, riscv64-linux",
        "linux/ppc64le, powerpc64le-linux",
    })
    void aPlatformIsBuiltByOneNixSystem(String platform, String system) {
        assertThat(NixSystem.ofPlatform(platform).nixSystem()).isEqualTo(system);
        // and back: the system's platform is the one asked for (arm64 with its conventional v8)
        assertThat(NixSystem.ofPlatform(NixSystem.parse(system).platform()).nixSystem()).isEqualTo(system);
    }

    @Test
    void aPlatformNoNixSystemBuildsIsOneLine() {
        assertThatThrownBy(() -> NixSystem.ofPlatform("windows/amd64")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("no Nix system builds platform 'windows/amd64'");
        assertThatThrownBy(() -> NixSystem.ofPlatform("linux/arm")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("no Nix system builds platform 'linux/arm'");
        assertThatThrownBy(() -> NixSystem.ofPlatform("linux/arm64/v7")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> NixSystem.ofPlatform("amd64")).isInstanceOf(InputException.class)
                .hasMessage("not a platform: 'amd64' (expected OS/ARCH[/VARIANT], e.g. linux/arm64)");
        assertThatThrownBy(() -> NixSystem.ofPlatform("linux//")).isInstanceOf(InputException.class);
    }

    @Test
    void aPlatformMegabytesLongIsQuotedShort() {
        assertThatThrownBy(() -> NixSystem.ofPlatform("linux/" + "a".repeat(100_000))).isInstanceOf(InputException.class)
                .hasMessageContaining("'linux/" + "a".repeat(94) + "… (100006 characters)'").message().hasSizeLessThan(300);
        assertThatThrownBy(() -> NixSystem.ofPlatform("x".repeat(5000))).isInstanceOf(InputException.class)
                .message().hasSizeLessThan(300);
    }

    @Test
    void platformNotation() {
        assertThat(NixSystem.parse("aarch64-linux").platform()).isEqualTo("linux/arm64/v8");
        assertThat(NixSystem.parse("x86_64-linux").platform()).isEqualTo("linux/amd64");
    }

    @Test
    void rejectsUnknown() {
        assertThatThrownBy(() -> NixSystem.parse("vax-vms")).isInstanceOf(InputException.class).hasMessageContaining("unsupported Nix system 'vax-vms'");
        assertThatThrownBy(() -> NixSystem.parse("linux")).isInstanceOf(InputException.class).hasMessageContaining("not a Nix system");
    }
}
