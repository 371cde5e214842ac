package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetContainerTest {
    @TempDir
    Path tmp;

    @Test
    void readsPodmanAndDockerInspectOutput() {
        String podman = """
                [ { "Id": "326201ac", "Name": "web", "State": { "Status": "running", "Running": true, "Pid": 13512 },
                    "Config": { "User": "" }, "HostConfig": { "IpcMode": "shareable", "PidMode": "private" } } ]""";
        assertThat(TargetContainer.parseInspect(podman))
                .isEqualTo(new TargetContainer("326201ac", "web", true, "running", "", "shareable", 13512));
        String docker = """
                [ { "Id": "9f2c", "Name": "/api", "State": { "Status": "exited", "Running": false, "Pid": 0 },
                    "Config": { "User": "nginx" }, "HostConfig": { "IpcMode": "private" } } ]""";
        TargetContainer t = TargetContainer.parseInspect(docker);
        assertThat(t.name()).isEqualTo("api");
        assertThat(t.running()).isFalse();
        assertThat(t.user()).isEqualTo("nginx");
        assertThat(t.ipcShareable()).isFalse();
        assertThatThrownBy(() -> TargetContainer.parseInspect("[]")).isInstanceOf(DebugException.class)
                .hasMessageContaining("no Id");
    }

    @Test
    void theProcessUserIsReadOnlyWhenItsCgroupNamesTheContainer() throws IOException {
        Path p = Files.createDirectories(tmp.resolve("4242"));
        Files.writeString(p.resolve("cgroup"), "0::/libpod_parent/libpod-326201ac\n");
        Files.writeString(p.resolve("status"), "Uid:\t31337\t31337\t31337\t31337\nGid:\t31337\t31337\t31337\t31337\n");
        Files.writeString(p.resolve("uid_map"), "0 0 4294967295\n");
        Files.writeString(p.resolve("gid_map"), "0 0 4294967295\n");
        TargetContainer mine = new TargetContainer("326201ac", "web", true, "running", "nginx", "", 4242);
        assertThat(TargetProcess.user(mine, tmp)).contains(new SidecarUser(31337, 31337L));
        TargetContainer other = new TargetContainer("ffff0000", "web", true, "running", "nginx", "", 4242);
        assertThat(TargetProcess.user(other, tmp)).isEqualTo(Optional.empty()); // same pid, another machine's container
        TargetContainer gone = new TargetContainer("326201ac", "web", true, "running", "nginx", "", 999999);
        assertThat(TargetProcess.user(gone, tmp)).isEqualTo(Optional.empty());
    }

    @Test
    void kubernetesTargetsArePodSlashContainer() {
        assertThat(KubernetesTarget.parse("web-7d9/nginx", "shop")).isEqualTo(new KubernetesTarget("web-7d9", "nginx", "shop"));
        assertThat(KubernetesTarget.parse("web", null).container()).isNull();
        assertThat(KubernetesTarget.parse("web", null).withContainer("app").toString()).isEqualTo("web/app");
        assertThatThrownBy(() -> KubernetesTarget.parse("Web/x", null))
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage("invalid pod name 'Web' (lower-case letters, digits, '-' and '.'; expected [pod/]POD[/CONTAINER])");
        assertThatThrownBy(() -> KubernetesTarget.parse("web/a/b", null)).isInstanceOf(dev.distrolix.InputException.class).hasMessageContaining("invalid container name 'a/b'");
    }

    @Test
    void kubectlsTypeSlashNameFormNamesThePod() {
        for (String type : new String[] {"pod", "pods", "po"}) {
            assertThat(KubernetesTarget.parse(type + "/web", null)).isEqualTo(new KubernetesTarget("web", null, null));
            assertThat(KubernetesTarget.parse(type + "/web-7d9/nginx", "shop"))
                    .isEqualTo(new KubernetesTarget("web-7d9", "nginx", "shop"));
        }
        // a pod called "pod" is written with its type
        assertThat(KubernetesTarget.parse("pod/pod/app", null)).isEqualTo(new KubernetesTarget("pod", "app", null));
        assertThatThrownBy(() -> KubernetesTarget.parse("deploy/web", "shop"))
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage("--kubernetes deploy/web: debug joins a container of a pod, not of a deploy; name one of its"
                        + " pods (kubectl get pods -n shop), e.g. --kubernetes pod/web-xxxxx");
        assertThatThrownBy(() -> KubernetesTarget.parse("svc/web", null)).isInstanceOf(dev.distrolix.InputException.class)
                .hasMessageContaining("not of a svc");
        assertThatThrownBy(() -> KubernetesTarget.parse("pod/", null)).isInstanceOf(dev.distrolix.InputException.class)
                .hasMessageContaining("invalid pod name ''");
    }
}
