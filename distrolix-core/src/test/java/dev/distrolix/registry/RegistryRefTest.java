package dev.distrolix.registry;

import dev.distrolix.InputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistryRefTest {
    @Test
    void hostPortRepositoryTagAndDigest() {
        RegistryRef r = RegistryRef.parse("127.0.0.1:5000/team/app:1.0");
        assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(r.repository()).isEqualTo("team/app");
        assertThat(r.tag()).isEqualTo("1.0");
        assertThat(r.reference()).isEqualTo("1.0");
        String d = "sha256:" + "ab".repeat(32);
        RegistryRef byDigest = RegistryRef.parse("localhost/app@" + d);
        assertThat(byDigest.registry()).isEqualTo("localhost");
        assertThat(byDigest.reference()).isEqualTo(d);
        assertThat(RegistryRef.parse("h.io:443/x").reference()).isEqualTo("latest");
        assertThat(RegistryRef.parse("[::1]:5000/x:1").registry()).isEqualTo("[::1]:5000");
    }

    @Test
    void dockerHubNamesAreNormalizedAndServedFromRegistry1() {
        assertThat(RegistryRef.parse("nginx:1").familiar()).isEqualTo("docker.io/library/nginx:1");
        assertThat(RegistryRef.parse("team/app").familiar()).isEqualTo("docker.io/team/app");
        assertThat(RegistryRef.parse("index.docker.io/nginx").repository()).isEqualTo("library/nginx");
        assertThat(RegistryRef.parse("docker.io/nginx").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(RegistryRef.parse("ghcr.io/o/x").apiHost()).isEqualTo("ghcr.io");
    }

    @Test
    void badReferencesSayWhat() {
        assertThatThrownBy(() -> RegistryRef.parse("h.io/UPPER")).isInstanceOf(InputException.class).hasMessageContaining("invalid repository name 'UPPER'");
        assertThatThrownBy(() -> RegistryRef.parse("h.io/x:")).isInstanceOf(InputException.class).hasMessageContaining("empty tag");
        assertThatThrownBy(() -> RegistryRef.parse("h.io/x@md5:00")).isInstanceOf(InputException.class).hasMessageContaining("invalid digest");
        assertThatThrownBy(() -> RegistryRef.parse("h.io/x:.bad")).isInstanceOf(InputException.class).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> RegistryRef.parse("")).isInstanceOf(InputException.class).hasMessageContaining("empty");
    }
}
