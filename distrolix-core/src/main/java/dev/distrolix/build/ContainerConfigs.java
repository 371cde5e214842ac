package dev.distrolix.build;

import dev.distrolix.image.ContainerConfig;
import dev.distrolix.spec.ResolvedSpec;

/** The spec's rendered `config` section as the image config's `config` object. */
final class ContainerConfigs {
    private ContainerConfigs() {}

    static ContainerConfig of(ResolvedSpec.ResolvedConfig c) {
        ContainerConfig.Builder b = ContainerConfig.builder()
                .entrypoint(c.entrypoint())
                .cmd(c.cmd())
                .env(c.envList())
                .labels(c.labels());
        c.workingDir().ifPresent(b::workingDir);
        c.user().ifPresent(b::user);
        c.exposedPorts().forEach(b::exposedPort);
        c.volumes().forEach(b::volume);
        c.stopSignal().ifPresent(b::stopSignal);
        return b.build();
    }
}
