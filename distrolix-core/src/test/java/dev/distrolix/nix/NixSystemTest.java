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
