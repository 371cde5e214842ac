package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.image.ContainerConfig;
import dev.distrolix.spec.ResolvedSpec.ResolvedConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rendered spec config becomes the image config's config object. */
class ContainerConfigsTest {
    @Test
    void everyFieldIsCarriedOver() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin");
        env.put("LANG", "C.UTF-8");
        ResolvedConfig c = new ResolvedConfig(List.of("/bin/nginx"), List.of("-g", "daemon off;"), env,
                Optional.of("/srv"), Optional.of("nginx:nginx"), List.of("80/tcp", "443/tcp"), List.of("/data"),
                Map.of("org.opencontainers.image.title", "nginx"), Optional.of("SIGQUIT"));

        ContainerConfig config = ContainerConfigs.of(c);

        assertThat(config.entrypoint()).containsExactly("/bin/nginx");
        assertThat(config.cmd()).containsExactly("-g", "daemon off;");
        assertThat(config.env()).containsExactly("PATH=/usr/local/bin", "LANG=C.UTF-8");
        assertThat(config.workingDir()).isEqualTo("/srv");
        assertThat(config.user()).isEqualTo("nginx:nginx");
        assertThat(config.exposedPorts()).containsExactly("443/tcp", "80/tcp");
        assertThat(config.volumes()).containsExactly("/data");
        assertThat(config.labels()).containsExactly(Map.entry("org.opencontainers.image.title", "nginx"));
        assertThat(config.stopSignal()).isEqualTo("SIGQUIT");
    }

    @Test
    void anEmptySpecConfigIsAnEmptyImageConfig() {
        ResolvedConfig c = new ResolvedConfig(List.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Map.of(), Optional.empty());
        assertThat(ContainerConfigs.of(c)).isEqualTo(ContainerConfig.empty());
        assertThat(ContainerConfigs.of(c).isEmpty()).isTrue();
    }
}
