package dev.distrolix.layering;

import static dev.distrolix.layering.PopularityTest.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.nix.Closure;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerPathAndSingleTest {
    private static final Closure C = TestClosures.builder()
            .path("app", 1, "zlib", "openssl").path("openssl", 1, "glibc").path("zlib", 1, "glibc").path("glibc", 1)
            .build();

    @Test
    void perPathIsDependenciesFirstTiesByName() {
        assertThat(names(new PerPath().plan(C, 4)))
                .containsExactly(List.of("glibc"), List.of("openssl"), List.of("zlib"), List.of("app"));
    }

    @Test
    void perPathRefusesToMerge() {
        assertThatThrownBy(() -> new PerPath().plan(C, 3))
                .isInstanceOf(LayeringException.class)
                .hasMessage("per-path layering needs 4 layers but only 3 are available for store paths"
                        + " (max-layers 4 minus the customisation layer); use 'popularity' or 'size', which merge paths");
    }

    @Test
    void singleIsOneLayer() {
        assertThat(names(new Single().plan(C, 10))).containsExactly(List.of("glibc", "openssl", "zlib", "app"));
        assertThat(new Single().plan(new Closure(List.of(), List.of()), 10)).isEmpty();
    }
}
