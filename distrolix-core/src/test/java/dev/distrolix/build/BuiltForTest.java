package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.nix.NixSystem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The platform of a spec that names no system, from what its packages' derivations say. */
class BuiltForTest {
    @Test
    void packagesThatAgreeOnAPlatformGiveIt() {
        assertThat(NixInputs.agreed(1, List.of("x86_64-linux"))).contains(NixSystem.parse("x86_64-linux"));
        assertThat(NixInputs.agreed(2, List.of("aarch64-linux", "aarch64-linux")).map(NixSystem::architecture))
                .contains("arm64");
    }

    @Test
    void anythingLessIsLeftToNix() {
        assertThat(NixInputs.agreed(0, List.of())).isEmpty(); // no packages
        assertThat(NixInputs.agreed(2, List.of("x86_64-linux"))).isEmpty(); // one derivation unread
        assertThat(NixInputs.agreed(2, List.of("x86_64-linux", "aarch64-linux"))).isEmpty(); // they differ
        assertThat(NixInputs.agreed(1, List.of("builtin"))).isEmpty(); // a fetched file
        assertThat(NixInputs.agreed(1, List.of("x86_64-windows"))).isEmpty(); // no OCI platform
    }
}
