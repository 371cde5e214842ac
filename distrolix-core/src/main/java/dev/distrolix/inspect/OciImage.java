package dev.distrolix.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.Platform;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A read view of one image, whatever transport it came from (the {@code v1.Image} of
 * go-containerregistry): the manifest's facts, the parsed config, and the layers as verified
 * streams. Small documents are read eagerly when the image is opened (so a missing or corrupt
 * manifest, config or layer blob is reported before anything is printed); layers are only ever
 * streamed, see {@link #openLayer(int)}.
 *
 * @param reference        the image as the user named it ({@code oci:out/nginx:1.0})
 * @param manifestDigest   digest of the manifest bytes; null for a docker-archive, which has none
 * @param manifestMediaType OCI or Docker manifest media type (for a docker-archive: the Docker one)
 * @param configDigest     digest of the config blob (the "image ID" of Docker and podman)
 * @param repoTags         names the source gives the image (index annotation, RepoTags); may be empty
 * @param config           runtime settings (Entrypoint, Cmd, User, Env, …)
 * @param rawConfig        the whole config JSON, for fields {@link ContainerConfig} does not model
 */
public record OciImage(String reference, Digest manifestDigest, String manifestMediaType, Digest configDigest,
                       List<String> repoTags, Platform platform, Instant created, ContainerConfig config,
                       List<HistoryEntry> history, List<LayerInfo> layers, JsonNode rawConfig, BlobOpener blobs) {
    public OciImage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(configDigest, "configDigest");
        repoTags = List.copyOf(repoTags);
        history = List.copyOf(history);
        layers = List.copyOf(layers);
    }

    /**
     * The uncompressed tar of layer {@code i} (0 = base). Compression is recognized by the blob's
     * magic bytes (gzip, zstd, or none), whatever the media type claims. The blob digest and size
     * and the diff_id are checked as the stream is read; reaching its end with a mismatch, or a
     * truncated or corrupt blob, throws an {@link dev.distrolix.InputException} naming the layer.
     * Read it to the end (the {@link LayerWalker} does) or the check does not happen.
     */
    public LayerStream openLayer(int i) throws IOException {
        LayerInfo layer = layers.get(i);
        return LayerStream.open(layer, blobs.open(layer.location()));
    }

    /** Short name for tables: the first repo tag, else the reference. */
    public String displayName() {
        return repoTags.isEmpty() ? reference : repoTags.get(0);
    }
}
