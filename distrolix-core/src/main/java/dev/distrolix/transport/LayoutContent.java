package dev.distrolix.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.image.Artifact;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.Layer;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.IndexManifest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The files of an OCI image layout (image-spec "image-layout"), shared by all writers. */
final class LayoutContent {
    static final String OCI_LAYOUT = "oci-layout";
    static final String INDEX = "index.json";
    static final String BLOBS = "blobs/sha256/";
    static final byte[] OCI_LAYOUT_BYTES = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    private LayoutContent() {}

    static String blobPath(Digest d) {
        return BLOBS + d.hex();
    }

    /**
     * The blobs of the image, by layout path: layers as stored, then config and manifest.
     * A layer that occurs twice in the stack is one blob.
     */
    static SortedMap<String, Content> blobs(Artifact artifact) throws java.io.IOException {
        if (artifact instanceof Image img) {
            return blobs(img);
        }
        // an index, nested as skopeo copy --all writes it: every image's blobs, then the index itself
        ImageIndex index = (ImageIndex) artifact;
        SortedMap<String, Content> files = new TreeMap<>();
        for (Descriptor d : index.manifests()) {
            files.putAll(blobs(index.image(d)));
        }
        files.put(blobPath(index.manifestDigest()), new Content.Bytes(index.manifestBytes()));
        return files;
    }

    static SortedMap<String, Content> blobs(Image img) {
        SortedMap<String, Content> files = new TreeMap<>();
        for (Layer layer : img.layers()) {
            files.put(blobPath(layer.digest()), new Content.StoredBlob(layer));
        }
        files.put(blobPath(img.configDigest()), new Content.Bytes(img.configBytes()));
        files.put(blobPath(img.manifestDigest()), new Content.Bytes(img.manifestBytes()));
        return files;
    }

    /**
     * The index entry for this image. ref.name carries only the tag (the spec's convention,
     * what skopeo and umoci look up by); io.containerd.image.name carries the fully qualified
     * name, which containerd needs and podman prefers when it loads an oci-archive — the two
     * annotations Docker 25's {@code save} writes.
     */
    static Descriptor indexEntry(Artifact artifact, String tag, ImageName name) {
        if (artifact instanceof Image img) {
            return indexEntry(img, tag, name);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (tag != null) {
            annotations.put(REF_NAME, tag);
        }
        if (name != null) {
            annotations.put(CONTAINERD_NAME, name.normalized());
        }
        return Descriptor.of(artifact.mediaType(), artifact.manifestDigest(), artifact.manifestBytes().length)
                .withAnnotations(annotations);
    }

    static Descriptor indexEntry(Image img, String tag, ImageName name) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (tag != null) {
            annotations.put(REF_NAME, tag);
        }
        if (name != null) {
            annotations.put(CONTAINERD_NAME, name.normalized());
        }
        return img.descriptor().withAnnotations(annotations);
    }

    /** A complete single-image layout (for the archives), sorted by path. */
    static SortedMap<String, Content> singleImage(Artifact img, String tag, ImageName name) throws java.io.IOException {
        SortedMap<String, Content> files = blobs(img);
        files.put(OCI_LAYOUT, new Content.Bytes(OCI_LAYOUT_BYTES));
        byte[] index = CanonicalJson.index(new IndexManifest(List.of(indexEntry(img, tag, name)), null));
        files.put(INDEX, new Content.Bytes(index));
        return files;
    }

    /** The descriptor as a tree node, for merging into an index.json read from disk. */
    static ObjectNode indexEntryNode(Artifact img, String tag, ImageName name) {
        return CanonicalJson.descriptor(indexEntry(img, tag, name));
    }
}
