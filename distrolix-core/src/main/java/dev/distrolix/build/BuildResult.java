package dev.distrolix.build;

import dev.distrolix.blob.Digest;
import java.util.List;

/** What a build produced: where, under which name, with which digests, and each layer. */
public record BuildResult(String imageName, String tag, String target, Digest manifestDigest, Digest configDigest,
                          List<LayerSummary> layers, List<String> notices) {
    public BuildResult {
        layers = List.copyOf(layers);
        notices = List.copyOf(notices);
    }

    public record LayerSummary(Digest digest, Digest diffId, long size, long uncompressedSize, String mediaType,
                               List<String> storePaths, boolean cached) {
        public LayerSummary {
            storePaths = List.copyOf(storePaths);
        }
    }

    public long compressedSize() {
        return layers.stream().mapToLong(LayerSummary::size).sum();
    }

    public long uncompressedSize() {
        return layers.stream().mapToLong(LayerSummary::uncompressedSize).sum();
    }
}
