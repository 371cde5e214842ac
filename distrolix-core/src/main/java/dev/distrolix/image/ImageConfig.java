package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The OCI image config ({@code application/vnd.oci.image.config.v1+json}) as a value.
 * {@code created} may be null (omitted); {@code diffIds} become {@code rootfs.diff_ids}, base
 * layer first. Serialize it with {@link CanonicalJson#config(ImageConfig)}.
 */
public record ImageConfig(Instant created, Platform platform, ContainerConfig config, List<Digest> diffIds,
                          List<HistoryEntry> history) {
    public ImageConfig {
        Objects.requireNonNull(platform, "platform");
        config = config == null ? ContainerConfig.empty() : config;
        diffIds = List.copyOf(diffIds);
        history = history == null ? List.of() : List.copyOf(history);
        long nonEmpty = history.stream().filter(h -> !h.emptyLayer()).count();
        if (!history.isEmpty() && nonEmpty != diffIds.size()) {
            throw new IllegalArgumentException("history has " + nonEmpty + " non-empty entries for "
                    + diffIds.size() + " layers; there must be exactly one per layer");
        }
    }
}
