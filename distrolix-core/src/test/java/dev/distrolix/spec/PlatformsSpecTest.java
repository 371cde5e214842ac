package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code platforms:} in a spec: an image index, one image per platform. */
class PlatformsSpecTest {
    @TempDir
    Path dir;

    ImageSpec load(String extra) {
        return SpecLoader.fromString("name: app\npackages: [nginx]\n" + extra, "image.yaml", dir);
    }

    @Test
    void platformsAreReadInOrderAndEachBecomesASystem() {
        ImageSpec spec = load("platforms: [linux/arm64, linux/amd64]\n");
        assertThat(spec.platforms()).containsExactly("linux/arm64", "linux/amd64");
        assertThat(spec.system()).isEmpty();
        ImageSpec arm = spec.forSystem("aarch64-linux");
        assertThat(arm.system()).contains("aarch64-linux");
        assertThat(arm.platforms()).isEmpty();
        assertThat(arm.packages()).isEqualTo(spec.packages());
        assertThat(load("").platforms()).isEmpty();
        assertThat(ImageSpec.builder().name("app").packages("nginx").platforms("linux/amd64", "linux/arm64").build()
                .platforms()).containsExactly("linux/amd64", "linux/arm64");
    }

    @Test
    void badPlatformsAreOneLineWithTheirPlace() {
        assertThatThrownBy(() -> load("platforms: [linux/amd64, windows/amd64]\n"))
                .hasMessageContaining("image.yaml").hasMessageContaining("no Nix system builds platform 'windows/amd64'");
        assertThatThrownBy(() -> load("platforms: [linux/amd64, linux/amd64]\n"))
                .hasMessageContaining("platform 'linux/amd64' is listed twice");
        assertThatThrownBy(() -> load("system: x86_64-linux\nplatforms: [linux/amd64]\n"))
                .hasMessageContaining("give either system (one image) or platforms (an index), not both");
        assertThatThrownBy(() -> load("platforms: []\n")).hasMessageContaining("list at least one platform");
        // two names of one platform (both built by aarch64-linux) would make an index with two equal entries
        assertThatThrownBy(() -> load("platforms: [linux/arm64, linux/arm64/v8]\n"))
                .hasMessageContaining("platform 'linux/arm64/v8' is listed twice");
    }
}
