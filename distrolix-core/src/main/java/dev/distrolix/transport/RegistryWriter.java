package dev.distrolix.transport;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.Descriptor;
import dev.distrolix.registry.BlobContent;
import dev.distrolix.registry.ImagePusher;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistryClient;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes an assembled image to a registry: its layer files and config as blobs (skipped when
 * the registry has them, mounted when another repository there has them), then the exact
 * manifest bytes under each tag.
 */
final class RegistryWriter {
    private RegistryWriter() {}

    static PushResult push(AssembledImage img, ImageTarget.Registry target, RegistrySettings settings) throws IOException {
        List<ImagePusher.Blob> blobs = new ArrayList<>();
        for (LayerBlob layer : img.layers()) {
            blobs.add(ImagePusher.Blob.of(Descriptor.of(layer.mediaType(), layer.digest(), layer.size()),
                    BlobContent.of(layer.file()), "layer"));
        }
        blobs.add(ImagePusher.Blob.of(img.configDescriptor(), BlobContent.of(img.configBytes()), "config"));
        ManifestBytes manifest = new ManifestBytes(img.manifestBytes(), img.manifestDescriptor().mediaType(),
                img.manifestDigest());
        return ImagePusher.push(new ImagePusher.Request(target.ref(), target.tags(), blobs, List.of(), manifest),
                settings);
    }

    /** Before a long build: the registry answers, and accepts our credentials if it wants some. */
    static void check(ImageTarget.Registry target, RegistrySettings settings) throws IOException {
        RegistryClient.connect(target.ref().registry(), settings);
    }
}
