package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SidecarUserTest {
    @Test
    void optionTakesNumbersOnly() {
        assertThat(SidecarUser.parseOption("1000").flag()).isEqualTo("1000");
        assertThat(SidecarUser.parseOption("1000:100").flag()).isEqualTo("1000:100");
        assertThatThrownBy(() -> SidecarUser.parseOption("nginx")).isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage("--user 'nginx': expected UID or UID:GID in numbers (the toolkit does not know the target's user names)");
        assertThatThrownBy(() -> SidecarUser.parseOption("-1")).isInstanceOf(dev.distrolix.InputException.class);
        assertThatThrownBy(() -> SidecarUser.parseOption("99999999999999999999")).isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage("--user '99999999999999999999': the number is too large");
    }

    @Test
    void configuredUserIsEnoughForRootAndForUidWithGid() {
        for (String root : new String[] {"", "root", "0", "0:0", "root:root", " "}) {
            assertThat(SidecarUser.fromConfiguredUser(root)).as(root).contains(SidecarUser.ROOT);
        }
        assertThat(SidecarUser.fromConfiguredUser("31337:31337")).contains(new SidecarUser(31337, 31337L));
        // names and a uid without its group need the running process
        assertThat(SidecarUser.fromConfiguredUser("nginx")).isEqualTo(Optional.empty());
        assertThat(SidecarUser.fromConfiguredUser("31337")).isEqualTo(Optional.empty());
        assertThat(SidecarUser.fromConfiguredUser("nginx:nginx")).isEqualTo(Optional.empty());
    }

    @Test
    void procStatusIsMappedBackIntoTheContainersUserNamespace() {
        String status = "Name:\tnginx\nUmask:\t0022\nUid:\t100999\t100999\t100999\t100999\nGid:\t101000\t101000\t101000\t101000\n";
        // rootless podman: container root is the user 1000, the rest from 100000 on
        String map = "         0       1000          1\n         1     100000      65536\n";
        assertThat(SidecarUser.fromProc(status, map, map)).isEqualTo(new SidecarUser(1000, 1001L));
        String identity = "         0          0 4294967295\n";
        assertThat(SidecarUser.fromProc("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n", identity, identity)).isEqualTo(SidecarUser.ROOT);
        assertThatThrownBy(() -> SidecarUser.fromProc(status, "0 1000 1\n", map))
                .hasMessage("uid 100999 is not mapped into the container's user namespace");
    }
}
