package dev.distrolix.transport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import dev.distrolix.image.Layers;
import dev.distrolix.image.CanonicalJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Writes a docker-archive in the shape {@code docker save} has had since Docker 25, which all
 * three loaders accept: a complete OCI layout (index.json with both name annotations, so
 * podman and containerd read it), plus {@code manifest.json} and {@code repositories} for the
 * classic Docker loader.
 *
 * <p>The classic loader wants uncompressed layers, so each compressed layer is also stored
 * decompressed under its diff_id ({@code blobs/sha256/<diffIdHex>}); the OCI manifest keeps
 * pointing at the compressed blobs, so the manifest digest is the same as in every other
 * output. The price is an archive about (compressed + uncompressed) in size; a NONE layer is
 * stored once because its digest is its diff_id.
 */
public final class DockerArchiveWriter {
    private DockerArchiveWriter() {}

    /** Writes FILE atomically (temp file in the same folder, then rename). */
    public static void write(Image img, Path file, ImageName name) throws IOException {
        Objects.requireNonNull(name, "a docker-archive needs an image name and tag");
        SortedMap<String, Content> files = files(img, name);
        OutputFiles.writeAtomically(file, out -> ArchiveTar.write(files, out));
    }

    /** Streams the archive, e.g. into {@code podman load}; the caller closes {@code out}. */
    public static void writeTo(Image img, ImageName name, OutputStream out) throws IOException {
        ArchiveTar.write(files(img, name), out);
    }

    static SortedMap<String, Content> files(Image img, ImageName name) throws IOException {
        SortedMap<String, Content> files = LayoutContent.singleImage(img, name.tag(), name);
        for (Layer layer : img.layers()) {
            // for NONE this is the same path as the stored blob, and the same bytes
            String path = LayoutContent.blobPath(layer.diffId());
            if (!files.containsKey(path)) {
                files.put(path, new Content.Uncompressed(layer, Layers.uncompressedSize(layer)));
            }
        }
        files.put("manifest.json", new Content.Bytes(manifestJson(img, name)));
        if (!img.layers().isEmpty()) {
            files.put("repositories", new Content.Bytes(repositories(img, name)));
        }
        return files;
    }

    /** Keys in the order moby writes them: Config, RepoTags, Layers. */
    static byte[] manifestJson(Image img, ImageName name) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode item = f.objectNode();
        item.put("Config", LayoutContent.blobPath(img.configDigest()));
        item.putArray("RepoTags").add(name.toString());
        ArrayNode layers = item.putArray("Layers");
        for (Layer layer : img.layers()) {
            layers.add(LayoutContent.blobPath(layer.diffId()));
        }
        return CanonicalJson.bytes(f.arrayNode().add(item));
    }

    /** The legacy tag map {@code {"name":{"tag":"<top layer id>"}}}; old loaders still look at it. */
    static byte[] repositories(Image img, ImageName name) {
        List<Layer> layers = img.layers();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject(name.name()).put(name.tag(), layers.get(layers.size() - 1).diffId().hex());
        return CanonicalJson.bytes(root);
    }
}
