package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Container and image names from the user are positional words of podman/docker: never options. */
class OptionInjectionTest {
    @Test
    void containerNamesThatLookLikeOptionsAreRefusedForEveryEngineCommand() {
        for (ContainerRuntime rt : ContainerRuntime.values()) {
            assertThatThrownBy(() -> rt.inspect("--help")).isInstanceOf(InputException.class)
                    .hasMessage("container name '--help' starts with '-': not a container name");
            assertThatThrownBy(() -> rt.forceRemove("-a")).isInstanceOf(InputException.class);
            assertThatThrownBy(() -> rt.imageExists("--format=x")).isInstanceOf(InputException.class)
                    .hasMessageContaining("image name '--format=x'");
        }
        assertThat(ContainerRuntime.PODMAN.inspect("web")).containsExactly("podman", "container", "inspect", "web");
    }

    @Test
    void aToolkitImageThatLooksLikeAnOptionNeverReachesRun() {
        assertThatThrownBy(() -> new Sidecar("distrolix-debug-web", "--privileged", false, SidecarUser.ROOT, false,
                false, List.of(), false)).isInstanceOf(InputException.class)
                .hasMessageContaining("image name '--privileged'");
        assertThatThrownBy(() -> new Sidecar("-x", "busybox", false, SidecarUser.ROOT, false, false, List.of(), false))
                .isInstanceOf(InputException.class);
    }

    @Test
    void kubernetesNamesCannotStartWithADash() {
        assertThatThrownBy(() -> KubernetesTarget.parse("--help", null)).isInstanceOf(dev.distrolix.InputException.class);
        assertThatThrownBy(() -> KubernetesTarget.parse("web", "--all-namespaces"))
                .isInstanceOf(dev.distrolix.InputException.class);
    }
}
