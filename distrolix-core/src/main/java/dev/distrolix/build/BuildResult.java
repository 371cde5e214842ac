package dev.distrolix.build;

import dev.distrolix.blob.Digest;
import java.util.List;

/** What a build produced: where, under which name, with which digests, and each layer. */
public record BuildResult(String imageName, String tag, String target, Digest manifestDigest, Digest configDigest,
                          List<LayerSummary> layers, List<String> notices, List<PlatformImage> platforms) {
    public BuildResult {
        layers = List.copyOf(layers);
        notices = List.copyOf(notices);
        platforms = List.copyOf(platforms);
    }

    /** A single-platform build. */
    public BuildResult(String imageName, String tag, String target, Digest manifestDigest, Digest configDigest,
                       List<LayerSummary> layers, List<String> notices) {
        this(imageName, tag, target, manifestDigest, configDigest, layers, notices, List.of());
    }

    /**
     * One image of a multi-platform build ({@code manifestDigest} is then the index's; {@code configDigest}
     * and {@code layers} hold the first platform's, then every platform's layers in turn).
     */
    public record PlatformImage(String platform, Digest manifestDigest, Digest configDigest, List<LayerSummary> layers) {
        public PlatformImage {
            layers = List.copyOf(layers);
        }
    }

    /**
     * One layer. {@code declaredPaths} counts, for the last layer, the entries of the spec's {@code paths:}
     * (each file, directory or symlink it declares, once); parent directories made implicitly, the
     * accounts files (/etc/passwd, /etc/group) and profile links are not counted. 0 for store layers.
     * {@code fetched}: taken from an image in a registry (by its cache key) instead of made.
     */
    public record LayerSummary(Digest digest, Digest diffId, long size, long uncompressedSize, String mediaType,
                               List<String> storePaths, boolean cached, int declaredPaths, boolean fetched,
                               boolean streamed) {
        public LayerSummary {
            storePaths = List.copyOf(storePaths);
        }

        public LayerSummary(Digest digest, Digest diffId, long size, long uncompressedSize, String mediaType,
                            List<String> storePaths, boolean cached, int declaredPaths, boolean fetched) {
            this(digest, diffId, size, uncompressedSize, mediaType, storePaths, cached, declaredPaths, fetched, false);
        }

        public LayerSummary(Digest digest, Digest diffId, long size, long uncompressedSize, String mediaType,
                            List<String> storePaths, boolean cached, int declaredPaths) {
            this(digest, diffId, size, uncompressedSize, mediaType, storePaths, cached, declaredPaths, false);
        }

        /**
         * "cached" (the layer cache), "registry" (fetched from a registry image), "streamed" (made straight into
         * the target registry's upload, no file), or "built".
         */
        public String fate() {
            return cached ? "cached" : fetched ? "registry" : streamed ? "streamed" : "built";
        }

        /** A layer of store paths. */
        public LayerSummary(Digest digest, Digest diffId, long size, long uncompressedSize, String mediaType,
                            List<String> storePaths, boolean cached) {
            this(digest, diffId, size, uncompressedSize, mediaType, storePaths, cached, 0);
        }
    }

    public long compressedSize() {
        return layers.stream().mapToLong(LayerSummary::size).sum();
    }

    public long uncompressedSize() {
        return layers.stream().mapToLong(LayerSummary::uncompressedSize).sum();
    }
}
