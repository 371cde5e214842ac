package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The planned command lines, flag by flag: what --dry-run prints and what runs. */
class SidecarCommandsTest {
    static final TargetContainer WEB = new TargetContainer("0123abcd", "web", true, "running", "", "shareable", 42);
    static final TargetContainer PRIVATE_IPC = new TargetContainer("0123abcd", "web", true, "running", "", "private", 42);
    static final String IMAGE = "localhost/distrolix-toolkit:0123456789abcdef0123";

    static Sidecar toolkit(SidecarUser user, boolean ptrace, boolean privileged, boolean tty, String... command) {
        return new Sidecar("distrolix-debug-web-abc123", IMAGE, true, user, ptrace, privileged, List.of(command), tty);
    }

    @Test
    void podmanJoinsPidNetworkIpcAndUtsAndNeverPullsTheToolkit() {
        List<String> argv = SidecarCommands.containerRun(ContainerRuntime.PODMAN, WEB,
                toolkit(SidecarUser.ROOT, true, false, false, "ps"));
        List<String> sh = SidecarScript.command(List.of("ps"));
        assertThat(argv.subList(0, argv.size() - sh.size())).containsExactly(
                "podman", "run", "--rm", "-i", "--name=distrolix-debug-web-abc123",
                "--label=dev.distrolix.debug.target=web", "--pull=never",
                "--pid=container:web", "--network=container:web", "--ipc=container:web", "--uts=container:web",
                "--cap-add=SYS_PTRACE", "--user=0:0", "--env=TARGET_ROOT=/proc/1/root", IMAGE);
        assertThat(argv.subList(argv.size() - sh.size(), argv.size())).isEqualTo(sh);
        assertThat(argv.get(argv.size() - 1)).isEqualTo("ps");
    }

    @Test
    void dockerCannotJoinUtsAndJoinsIpcOnlyWhenTheTargetSharesIt() {
        List<String> shared = SidecarCommands.containerRun(ContainerRuntime.DOCKER, WEB,
                toolkit(SidecarUser.ROOT, true, false, false));
        assertThat(shared).startsWith("docker", "run").contains("--ipc=container:web").noneMatch(a -> a.startsWith("--uts"));
        List<String> priv = SidecarCommands.containerRun(ContainerRuntime.DOCKER, PRIVATE_IPC,
                toolkit(SidecarUser.ROOT, true, false, false));
        assertThat(priv).noneMatch(a -> a.startsWith("--ipc") || a.startsWith("--uts"))
                .contains("--pid=container:web", "--network=container:web");
        List<String> podmanPriv = SidecarCommands.containerRun(ContainerRuntime.PODMAN, PRIVATE_IPC,
                toolkit(SidecarUser.ROOT, true, false, false));
        assertThat(podmanPriv).contains("--uts=container:web").noneMatch(a -> a.startsWith("--ipc"));
    }

    @Test
    void capabilitiesTerminalAndUserFollowTheOptions() {
        List<String> argv = SidecarCommands.containerRun(ContainerRuntime.PODMAN, WEB,
                toolkit(new SidecarUser(31337, 31337L), false, true, true));
        assertThat(argv).contains("-t", "--cap-add=SYS_ADMIN", "--user=31337:31337").doesNotContain("--cap-add=SYS_PTRACE");
        assertThat(argv.indexOf("-t")).isEqualTo(argv.indexOf("-i") + 1);
        assertThat(argv.subList(argv.size() - 3, argv.size())).isEqualTo(SidecarScript.command(List.of()));
        List<String> noTty = SidecarCommands.containerRun(ContainerRuntime.PODMAN, WEB,
                toolkit(new SidecarUser(1000, null), true, false, false));
        assertThat(noTty).contains("--user=1000", "--cap-add=SYS_PTRACE").doesNotContain("-t", "--cap-add=SYS_ADMIN");
    }

    @Test
    void anotherImageMayBePulledAndGetsShAsItsEntrypoint() {
        Sidecar s = new Sidecar("n", "docker.io/library/busybox:1.36", false, SidecarUser.ROOT, true, false,
                List.of("ps"), false);
        List<String> argv = SidecarCommands.containerRun(ContainerRuntime.PODMAN, WEB, s);
        assertThat(argv).doesNotContain("--pull=never");
        int image = argv.indexOf("docker.io/library/busybox:1.36");
        assertThat(argv.get(image - 1)).isEqualTo("--entrypoint=sh");
        assertThat(argv.subList(image + 1, argv.size())).isEqualTo(SidecarScript.command(List.of("ps")).subList(1, 4));
    }

    @Test
    void kubectlDebugTargetsTheContainerWithAProfile() {
        Sidecar s = new Sidecar("distrolix-debug-nginx-abc123", "registry.example/tools:1", false, null, true, false,
                List.of("ps"), false);
        List<String> argv = SidecarCommands.kubectlDebug(new KubernetesTarget("web-7d9", "nginx", "shop"), s, "general");
        assertThat(argv).startsWith("kubectl", "debug", "web-7d9", "--namespace=shop", "-i",
                "--container=distrolix-debug-nginx-abc123", "--image=registry.example/tools:1", "--target=nginx",
                "--profile=general", "--env=TARGET_ROOT=/proc/1/root", "--");
        assertThat(argv.subList(argv.indexOf("--") + 1, argv.size())).isEqualTo(SidecarScript.command(List.of("ps")));
        List<String> noNs = SidecarCommands.kubectlDebug(new KubernetesTarget("web", "app", null),
                new Sidecar("d", "img", false, null, true, false, List.of(), true), "sysadmin");
        assertThat(noNs).noneMatch(a -> a.startsWith("--namespace")).contains("-t", "--profile=sysadmin");
    }
}
