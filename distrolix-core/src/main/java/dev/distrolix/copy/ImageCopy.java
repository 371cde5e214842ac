package dev.distrolix.copy;

import dev.distrolix.InputException;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.Descriptor;
import dev.distrolix.registry.BlobContent;
import dev.distrolix.registry.ImagePusher;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageTarget;
import dev.distrolix.transport.ImageWriter;
import dev.distrolix.transport.WriteResult;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies an image between any two transports, like {@code skopeo copy}: from
 * {@code docker://}, {@code oci:}, {@code oci-archive:} or {@code docker-archive:} to any
 * {@link ImageTarget}. Manifest bytes are not rewritten, so the digest survives the copy (one
 * exception: a Docker schema 2 manifest written to a local output becomes OCI, as skopeo does). To a
 * registry, an index is copied whole (every platform); blobs the registry has are skipped, blobs
 * of the same registry are mounted. To a local output, the host's platform is picked from an index.
 *
 * <pre>{@code
 * CopyResult r = ImageCopy.copy("oci:out/nginx:1", "docker://127.0.0.1:5000/nginx:1", RegistrySettings.defaults());
 * }</pre>
 */
public final class ImageCopy {
    private ImageCopy() {}

    /**
     * @throws IllegalArgumentException for a malformed source or destination (one line)
     * @throws InputException           for a source that is missing or is not an image
     */
    public static CopyResult copy(String src, String dst, RegistrySettings settings) throws IOException {
        return copy(src, dst, settings, settings);
    }

    /** With other settings (e.g. credentials) for reading the source than for writing the destination. */
    public static CopyResult copy(String src, String dst, RegistrySettings sourceSettings, RegistrySettings settings)
            throws IOException {
        ImageTarget target = ImageTarget.parse(dst);
        Sources.check(src);
        ImageWriter.checkWritable(target, settings);
        try (SourceImage source = Sources.open(src, sourceSettings)) {
            String tag = source.defaultTag() != null ? source.defaultTag() : "latest";
            ImageTarget t = target.withDefaults(source.defaultName(), tag);
            if (t instanceof ImageTarget.Registry r) {
                PushResult p = push(source, r, settings);
                return new CopyResult(source.describe(), r.toString(), p.digest(), p);
            }
            AssembledImage img = LocalImages.assemble(source, LocalImages.hostPlatform());
            WriteResult w = ImageWriter.write(img, t, settings);
            return new CopyResult(source.describe(), w.where(), w.manifestDigest(), null);
        }
    }

    private static PushResult push(SourceImage source, ImageTarget.Registry dest, RegistrySettings settings)
            throws IOException {
        RegistryRef to = dest.ref();
        List<String> mountFrom = source.registryRef().filter(r -> r.registry().equals(to.registry()))
                .map(r -> List.of(r.repository())).orElse(List.of());
        ManifestBytes top = source.top();
        List<ManifestBytes> children = new ArrayList<>();
        List<ImagePusher.Blob> blobs = new ArrayList<>();
        if (top.isIndex()) {
            for (ImageParts.Entry e : ImageParts.index(top, source.describe())) {
                ManifestBytes child = source.manifest(e.descriptor());
                if (child.isIndex()) {
                    throw new InputException(source.describe() + ": an index inside an index is not supported");
                }
                children.add(child);
                addBlobs(source, child, mountFrom, blobs);
            }
        } else {
            addBlobs(source, top, mountFrom, blobs);
        }
        return ImagePusher.push(new ImagePusher.Request(to, dest.tags(), blobs, children, top), settings);
    }

    private static void addBlobs(SourceImage source, ManifestBytes m, List<String> mountFrom,
                                 List<ImagePusher.Blob> blobs) {
        ImageParts.Manifest parts = ImageParts.manifest(m, source.describe());
        for (Descriptor d : parts.layers()) {
            blobs.add(new ImagePusher.Blob(d, lazy(source, d), "layer", mountFrom));
        }
        blobs.add(new ImagePusher.Blob(parts.config(), lazy(source, parts.config()), "config", mountFrom));
    }

    /** Content fetched (downloaded, for a registry source) only when an upload needs it. */
    private static BlobContent lazy(SourceImage source, Descriptor d) {
        return offset -> {
            FileChannel ch = FileChannel.open(source.blobFile(d), StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        };
    }
}
