package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureTest {
    private static StorePath p(char c, String name) {
        return StorePath.parse("/nix/store/" + String.valueOf(c).repeat(32) + "-" + name);
    }

    // two platforms' packages in one query: each its own glibc, one arch-independent path in common
    private static final StorePath GLIBC_AMD = p('a', "glibc-amd64");
    private static final StorePath GLIBC_ARM = p('b', "glibc-arm64");
    private static final StorePath DATA = p('c', "mime-types");
    private static final StorePath NGINX_AMD = p('d', "nginx-amd64");
    private static final StorePath NGINX_ARM = p('f', "nginx-arm64");
    private static final StorePath TOOL_ARM = p('g', "tool-arm64");

    private static final Closure BOTH = new Closure(List.of(NGINX_AMD, NGINX_ARM, TOOL_ARM), List.of(
            new PathInfo(GLIBC_AMD, 10, "sha256:a", List.of()),
            new PathInfo(GLIBC_ARM, 11, "sha256:b", List.of()),
            new PathInfo(DATA, 5, "sha256:c", List.of()),
            new PathInfo(NGINX_AMD, 20, "sha256:d", List.of(GLIBC_AMD, DATA), p('h', "nginx-amd64.drv")),
            new PathInfo(NGINX_ARM, 21, "sha256:f", List.of(GLIBC_ARM, DATA)),
            new PathInfo(TOOL_ARM, 3, "sha256:g", List.of(GLIBC_ARM, NGINX_ARM))));

    @Test
    void eachPlatformsClosureIsSplitFromOneQuery() {
        Closure amd = BOTH.of(List.of(NGINX_AMD));
        assertThat(amd.roots()).containsExactly(NGINX_AMD);
        assertThat(amd.paths()).containsExactlyInAnyOrder(NGINX_AMD, GLIBC_AMD, DATA);
        assertThat(amd.totalNarSize()).isEqualTo(35);
        assertThat(amd.info(NGINX_AMD)).isEqualTo(BOTH.info(NGINX_AMD)); // the deriver rides along
        assertThat(amd.info(NGINX_AMD).deriver()).isEqualTo(p('h', "nginx-amd64.drv"));

        Closure arm = BOTH.of(List.of(TOOL_ARM, NGINX_ARM));
        assertThat(arm.roots()).containsExactlyInAnyOrder(NGINX_ARM, TOOL_ARM);
        assertThat(arm.paths()).containsExactlyInAnyOrder(NGINX_ARM, TOOL_ARM, GLIBC_ARM, DATA);
        assertThat(arm.referrers().get(DATA)).containsExactly(NGINX_ARM);
    }

    @Test
    void theWholeIsItsOwnSplitAndNoRootsIsEmpty() {
        Closure all = BOTH.of(BOTH.roots());
        assertThat(all.paths()).isEqualTo(BOTH.paths());
        assertThat(all.roots()).isEqualTo(BOTH.roots());
        assertThat(BOTH.of(List.of()).size()).isZero();
    }

    @Test
    void theNarSizeOfSomePathsIsTheirsAddedUpAndAPathOutsideIsRefused() {
        assertThat(BOTH.narSize(List.of(GLIBC_AMD, NGINX_AMD))).isEqualTo(30);
        assertThat(BOTH.narSize(List.of())).isZero();
        assertThat(BOTH.narSize(BOTH.paths())).isEqualTo(BOTH.totalNarSize());
        assertThatThrownBy(() -> BOTH.narSize(List.of(p('i', "elsewhere")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRootOutsideTheClosureIsRefused() {
        assertThatThrownBy(() -> BOTH.of(List.of(p('i', "elsewhere"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in closure");
    }
}
