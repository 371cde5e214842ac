package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A flake reference goes to {@code nix build REF}: one that starts with '-' would be an option. */
class FlakeOptionInjectionTest {
    @Test
    void flakePrefixWithAnOptionIsRefused() {
        assertThatThrownBy(() -> PackageRef.parse("flake:--help", Optional.empty()))
                .isInstanceOf(InputException.class)
                .hasMessage("flake reference '--help' starts with '-': not a flake reference");
    }

    @Test
    void refHashAttrStartingWithADashIsRefused() {
        assertThatThrownBy(() -> PackageRef.parse("--option#x", Optional.empty()))
                .isInstanceOf(InputException.class).hasMessageContaining("'--option#x' starts with '-'");
    }

    @Test
    void ordinaryFlakesStillParse() {
        assertThat(PackageRef.parse("flake:.#hello", Optional.empty())).isEqualTo(new PackageRef.Flake(".#hello"));
        assertThat(PackageRef.parse("nixpkgs#hello", Optional.empty())).isEqualTo(new PackageRef.Flake("nixpkgs#hello"));
    }
}
