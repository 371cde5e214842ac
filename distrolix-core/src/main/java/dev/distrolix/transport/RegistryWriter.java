package dev.distrolix.transport;

import dev.distrolix.image.Artifact;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.Layer;
import dev.distrolix.registry.BlobContent;
import dev.distrolix.registry.ImagePusher;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistryClient;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes an image or an index with all its images to a registry: blobs first (skipped when the
 * registry has them, mounted when a repository of the same registry has them — as when the
 * image was read from there), then the manifests an index lists, then the exact top manifest
 * bytes under each tag.
 */
final class RegistryWriter {
    private RegistryWriter() {}

    static PushResult push(Artifact artifact, ImageReference.Registry target, RegistrySettings settings,
                           ImagePusher.Gate gate) throws IOException {
        RegistryRef to = target.ref();
        Map<String, ImagePusher.Blob> blobs = new LinkedHashMap<>();
        List<ManifestBytes> children = new ArrayList<>();
        if (artifact instanceof ImageIndex index) {
            for (Descriptor d : index.manifests()) {
                Image child = index.image(d);
                addBlobs(child, to, blobs);
                children.add(manifest(child));
            }
        } else {
            if (!GzipForPush.needed((Image) artifact)) {
                addBlobs((Image) artifact, to, blobs);
                return ImagePusher.push(new ImagePusher.Request(to, target.tags(), List.copyOf(blobs.values()),
                        children, manifest((Image) artifact), gate), settings);
            }
            // named after this process, so a run killed here leaves nothing the next run does not sweep
            Path tmp = dev.distrolix.TempFiles.createTempDirectory("push");
            try {
                artifact = GzipForPush.prepare((Image) artifact, tmp, settings.listener());
                addBlobs((Image) artifact, to, blobs);
                return ImagePusher.push(new ImagePusher.Request(to, target.tags(), List.copyOf(blobs.values()),
                        children, manifest((Image) artifact), gate), settings);
            } finally {
                dev.distrolix.FileTrees.deleteTree(tmp);
            }
        }
        ManifestBytes top = new ManifestBytes(artifact.manifestBytes(), artifact.mediaType(), artifact.manifestDigest());
        return ImagePusher.push(new ImagePusher.Request(to, target.tags(), List.copyOf(blobs.values()), children, top,
                gate), settings);
    }

    private static ManifestBytes manifest(Image image) {
        return new ManifestBytes(image.manifestBytes(), image.mediaType(), image.manifestDigest());
    }

    private static void addBlobs(Image image, RegistryRef to, Map<String, ImagePusher.Blob> blobs) {
        for (Layer layer : image.layers()) {
            blobs.putIfAbsent(layer.digest().toString(), new ImagePusher.Blob(layer.descriptor(), content(layer),
                    "layer", mountFrom(layer, to)));
        }
        List<String> configMount = image.layers().isEmpty() ? List.of() : mountFrom(image.layers().get(0), to);
        blobs.putIfAbsent(image.configDigest().toString(), new ImagePusher.Blob(image.configDescriptor(),
                BlobContent.of(image.configBytes()), "config", configMount));
    }

    /** The blob's bytes from {@code offset}: read only when an upload needs them; the registry checks the digest. */
    private static BlobContent content(Layer layer) {
        return offset -> {
            InputStream in = layer.openRaw();
            in.skipNBytes(offset);
            return in;
        };
    }

    /** A layer read from a repository of the same registry can be mounted from there. */
    private static List<String> mountFrom(Layer layer, RegistryRef to) {
        if (layer instanceof StoredLayer s && s.files() instanceof RegistryFiles r
                && r.ref().registry().equals(to.registry()) && !r.ref().repository().equals(to.repository())) {
            return List.of(r.ref().repository());
        }
        return List.of();
    }

    /** Before a long build: the registry answers, and accepts our credentials if it wants some. */
    static void check(ImageReference.Registry target, RegistrySettings settings) throws IOException {
        RegistryClient.connect(target.ref().registry(), settings);
    }
}
