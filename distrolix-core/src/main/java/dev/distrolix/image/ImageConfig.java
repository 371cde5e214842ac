package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The OCI image config ({@code application/vnd.oci.image.config.v1+json}) as a value.
 * {@code created} may be null (omitted); {@code diffIds} become {@code rootfs.diff_ids}, base
 * layer first. Configs read from other tools may have history that does not match the layers;
 * {@link #historyMatchesLayers()} tells. Serialize it with {@link CanonicalJson#config(ImageConfig)}.
 */
public record ImageConfig(Instant created, Platform platform, ContainerConfig config, List<Digest> diffIds,
                          List<HistoryEntry> history) {
    public ImageConfig {
        Objects.requireNonNull(platform, "platform");
        config = config == null ? ContainerConfig.empty() : config;
        diffIds = List.copyOf(diffIds);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** Whether history has exactly one non-empty entry per layer (or none at all), as we write it. */
    public boolean historyMatchesLayers() {
        long nonEmpty = history.stream().filter(h -> !h.emptyLayer()).count();
        return history.isEmpty() || nonEmpty == diffIds.size();
    }
}
