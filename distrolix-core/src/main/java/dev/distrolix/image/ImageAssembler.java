package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns finished layers plus the runtime settings into the two JSON documents that make an
 * image: the OCI config (whose {@code rootfs.diff_ids} come from the layers, in order) and the
 * OCI manifest that points at the config and the layer blobs. Pure: no I/O, the layer files
 * are not read — their digests were computed when they were written.
 */
public final class ImageAssembler {
    private ImageAssembler() {}

    /**
     * @param created     config {@code created}; pass {@code 1970-01-01T00:00:01Z} (or
     *                    SOURCE_DATE_EPOCH) for reproducible images; null omits it
     * @param layers      base layer first
     * @param history     one entry per layer (plus any {@code emptyLayer} entries), or empty
     * @param annotations manifest annotations, e.g. {@code org.opencontainers.image.source}
     */
    public static AssembledImage assemble(Platform platform, ContainerConfig containerConfig, Instant created,
                                          List<LayerBlob> layers, List<HistoryEntry> history,
                                          Map<String, String> annotations) {
        return assemble(platform, containerConfig, created, layers, history, annotations, null);
    }

    /** The layer descriptor annotation that names the cache key a layer was made under (see {@code LayerKeys}). */
    public static final String LAYER_KEY_ANNOTATION = "dev.distrolix.layer.key";

    /**
     * As above, each layer's descriptor annotated with its cache key ({@link #LAYER_KEY_ANNOTATION}), so that a
     * later build that finds this image in a registry can reuse the layer instead of making it again.
     *
     * @param layerKeys one per layer (null: none), or null
     */
    public static AssembledImage assemble(Platform platform, ContainerConfig containerConfig, Instant created,
                                          List<LayerBlob> layers, List<HistoryEntry> history,
                                          Map<String, String> annotations, List<String> layerKeys) {
        Objects.requireNonNull(platform, "platform");
        if (layerKeys != null && layerKeys.size() != layers.size()) {
            throw new IllegalArgumentException(layerKeys.size() + " layer keys for " + layers.size() + " layers");
        }
        List<LayerBlob> blobs = List.copyOf(layers);
        List<Digest> diffIds = blobs.stream().map(LayerBlob::diffId).toList();
        ImageConfig config = new ImageConfig(created, platform, containerConfig, diffIds, history);
        if (!config.historyMatchesLayers()) {
            throw new IllegalArgumentException("history must have exactly one non-empty entry per layer ("
                    + diffIds.size() + " layers)");
        }

        byte[] configBytes = CanonicalJson.config(config);
        Digest configDigest = Digest.sha256(configBytes);
        Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length);
        List<Descriptor> layerDescriptors = new java.util.ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Descriptor d = layerDescriptor(blobs.get(i));
            String key = layerKeys == null ? null : layerKeys.get(i);
            layerDescriptors.add(key == null ? d : d.withAnnotations(Map.of(LAYER_KEY_ANNOTATION, key)));
        }
        ImageManifest manifest = new ImageManifest(configDescriptor, layerDescriptors,
                CanonicalJson.sortedCopy(annotations));

        byte[] manifestBytes = CanonicalJson.manifest(manifest);
        Digest manifestDigest = Digest.sha256(manifestBytes);
        // The platform rides on the manifest descriptor because index entries are where the
        // spec lets a runtime choose by platform; the manifest itself has no platform field.
        Descriptor manifestDescriptor = new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest,
                manifestBytes.length, null, platform);
        return new AssembledImage(config, configBytes, configDigest, manifestBytes, manifestDigest,
                manifestDescriptor, blobs, Map.of(), false);
    }

    private static Descriptor layerDescriptor(LayerBlob l) {
        Objects.requireNonNull(l.digest(), "layer digest");
        Objects.requireNonNull(l.diffId(), "layer diff_id");
        if (l.compression() == Compression.NONE && !l.digest().equals(l.diffId())) {
            throw new IllegalArgumentException("uncompressed layer " + l.file() + " has digest " + l.digest()
                    + " but diff_id " + l.diffId() + "; they must be equal");
        }
        return Descriptor.of(l.mediaType(), l.digest(), l.size());
    }
}
