package dev.distrolix.transport;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.FileLayer;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageParts;
import dev.distrolix.image.ImageManifest;
import dev.distrolix.image.Layer;
import dev.distrolix.image.LayerStream;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.registry.PushEvent;
import dev.distrolix.registry.PushListener;
import dev.distrolix.tar.Compressors;
import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An image with no stored manifest (read from a manifest.json-only docker-archive, as
 * {@code podman save} and older {@code docker save} write) and uncompressed layers, made ready for
 * a registry the way {@code docker push} does it: each plain tar is gzip-compressed (the
 * "compressing" state of a push), checked against its diff_id on the way, and the manifest is a
 * Docker schema 2 one, as the archive's own tools would push. The config is kept byte for byte.
 */
final class GzipForPush {
    private GzipForPush() {}

    /** Whether {@code image} is one to compress: converted, with uncompressed layers. */
    static boolean needed(Image image) {
        return image.converted() && image.layers().stream().anyMatch(l -> l.compression() == Compression.NONE);
    }

    /** {@code image} itself unless {@link #needed}. */
    static Image prepare(Image image, Path tmpDir, PushListener listener) throws IOException {
        if (!needed(image)) {
            return image;
        }
        List<Layer> layers = new ArrayList<>();
        List<Descriptor> descriptors = new ArrayList<>();
        for (Layer l : image.layers()) {
            Layer g = l.compression() == Compression.NONE ? gzip(l, tmpDir, listener) : l;
            layers.add(g);
            descriptors.add(Descriptor.of(g.compression() == Compression.GZIP ? MediaTypes.DOCKER_LAYER_GZIP
                    : MediaTypes.DOCKER_LAYER_TAR, g.digest(), g.size()));
        }
        Descriptor config = Descriptor.of(MediaTypes.DOCKER_CONFIG, image.configDigest(), image.configDescriptor().size());
        byte[] manifest = CanonicalJson.dockerManifest(new ImageManifest(config, descriptors, null));
        return ImageParts.remade(image, manifest, MediaTypes.DOCKER_MANIFEST, config, layers, null);
    }

    private static Layer gzip(Layer layer, Path tmpDir, PushListener listener) throws IOException {
        listener.on(new PushEvent.BlobUpdate(layer.diffId(), layer.size(), PushEvent.State.COMPRESSING, 0, null));
        Path out = Files.createTempFile(tmpDir, "layer-", ".tar.gz");
        MessageDigest md = Digest.newSha256();
        long uncompressed;
        try (LayerStream in = layer.uncompressed();
             OutputStream gz = Compressors.open(Compression.GZIP,
                     new DigestOutputStream(Files.newOutputStream(out), md))) {
            in.transferTo(gz);
            in.drain();
            uncompressed = in.uncompressedSize();
        }
        Digest digest = Digest.ofSha256(md);
        long size = Files.size(out);
        listener.on(new PushEvent.BlobUpdate(layer.diffId(), layer.size(), PushEvent.State.COMPRESSING, layer.size(),
                digest.toString()));
        return new FileLayer(new LayerBlob(out, digest, size, layer.diffId(), uncompressed, Compression.GZIP));
    }
}
