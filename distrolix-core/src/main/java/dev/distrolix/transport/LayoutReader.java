package dev.distrolix.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Artifact;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageParts;
import dev.distrolix.image.Layer;
import dev.distrolix.image.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the files of an OCI image layout (a directory, an oci-archive, the OCI part of a
 * docker-archive, a registry seen as a layout): index.json → the entry named by TAG (or the only
 * one) → an {@link Image} or an {@link StoredIndex}. OCI and Docker media types; every document's
 * digest and size are checked and every layer blob must exist before anything is returned.
 */
final class LayoutReader {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final Set<String> INDEX_TYPES = Set.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST);
    /**
     * A manifest naming at most this many layers has its config and layers asked about at once (one round trip to a
     * registry instead of two: the config's, then the layers'); one naming more waits for its config to agree.
     */
    static final int ASK_AT_ONCE = 32;
    /** The most layers an image read here may have. */
    static final int MAX_LAYERS = 1000;
    private static final Set<String> LAYER_TYPES = Set.of(MediaTypes.OCI_LAYER_TAR, MediaTypes.OCI_LAYER_GZIP,
            MediaTypes.OCI_LAYER_ZSTD, MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_LAYER_TAR,
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

    /** What a layout's index.json names for a tag: the artifact and the names it carries. */
    record Selected(Artifact artifact, List<String> names) {}

    private final String reference;
    private final ImageFiles files;
    private final Json j;

    LayoutReader(String reference, ImageFiles files) {
        this.reference = reference;
        this.files = files;
        this.j = new Json(reference, files);
    }

    /** The image or index tagged {@code tag} (null: the only entry, or all entries as one index by platform). */
    Selected select(String tag) throws IOException {
        if (!files.exists("index.json")) {
            throw j.error("not an OCI image layout (no index.json)");
        }
        byte[] indexBytes = files.readSmall("index.json", Json.MAX_DOCUMENT);
        JsonNode index = j.parse(indexBytes, "index.json");
        List<Descriptor> entries = descriptors(index, "index.json", "manifests");
        if (tag == null) {
            // a signed image's .sig/.att manifests are entries too, but never the image a reader means
            entries = entries.stream().filter(d -> !isAttachment(d.annotations().get(REF_NAME))).toList();
        } else {
            entries = entries.stream().filter(d -> tag.equals(d.annotations().get(REF_NAME))
                    || tag.equals(d.annotations().get(CONTAINERD_NAME))).toList();
            if (entries.isEmpty()) {
                throw j.error(Messages.noTag(tag, tags(descriptors(index, "index.json", "manifests"))));
            }
        }
        if (entries.isEmpty()) {
            throw j.error("the layout holds no image");
        }
        if (entries.size() > 1) {
            if (entries.stream().anyMatch(d -> d.platform() == null)) {
                throw j.error(Messages.severalImages(entries.size(), tags(entries)));
            }
            // one image per platform listed directly in index.json: the layout itself is the index
            return new Selected(index(indexBytes, Digest.sha256(indexBytes), MediaTypes.OCI_INDEX, entries), List.of());
        }
        Descriptor chosen = entries.get(0);
        List<String> names = new ArrayList<>();
        String name = chosen.annotations().getOrDefault(CONTAINERD_NAME, chosen.annotations().get(REF_NAME));
        if (name != null) {
            names.add(name);
        }
        return new Selected(artifact(chosen), names);
    }

    /** Cosign's tags for what is attached to an image: {@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}. */
    static boolean isAttachment(String tag) {
        return tag != null && ATTACHMENT_TAG.matcher(tag).matches();
    }

    private static final java.util.regex.Pattern ATTACHMENT_TAG = java.util.regex.Pattern.compile(
            "sha256-[0-9a-f]{64}\\.(sig|att|sbom)");

    /** The image or index a descriptor names. */
    Artifact artifact(Descriptor d) throws IOException {
        byte[] bytes = j.blob(d, "manifest");
        JsonNode doc = j.parse(bytes, "manifest " + d.digest());
        schemaVersion(doc, d);
        String type = type(doc, d);
        if (INDEX_TYPES.contains(type)) {
            return index(bytes, d.digest(), type, descriptors(doc, "index " + d.digest(), "manifests"));
        }
        return image(d.digest(), type, bytes, doc);
    }

    /**
     * An index of at most {@link #MAX_LAYERS} entries: real ones list a few platforms (and as many attestations); a
     * reader that visits each (`audit --all-platforms`) would otherwise read one image per entry, 20,000 in a 4 MiB index.
     */
    private StoredIndex index(byte[] bytes, Digest digest, String type, List<Descriptor> entries) {
        if (entries.size() > MAX_LAYERS) {
            throw j.error("index " + digest + " lists " + entries.size() + " manifests, more than the " + MAX_LAYERS
                    + " an index may have");
        }
        return new StoredIndex(this, bytes, digest, type, entries);
    }

    /** The image an index entry names; an index there is refused (one level of nesting is enough). */
    ImageParts image(Descriptor d) throws IOException {
        byte[] bytes = j.blob(d, "manifest");
        JsonNode doc = j.parse(bytes, "manifest " + d.digest());
        schemaVersion(doc, d);
        String type = type(doc, d);
        if (INDEX_TYPES.contains(type)) {
            throw j.error("index " + d.digest() + " lists another index; nested indexes are not supported");
        }
        return image(d.digest(), type, bytes, doc);
    }

    private static String type(JsonNode doc, Descriptor d) {
        String type = doc.hasNonNull("mediaType") ? doc.get("mediaType").asText() : d.mediaType();
        if (type.isEmpty()) {
            return doc.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        return type;
    }

    private ImageParts image(Digest manifestDigest, String type, byte[] bytes, JsonNode m) throws IOException {
        if (!m.has("config") || !m.has("layers")) {
            throw j.error("manifest " + manifestDigest + " is not an image manifest (no config or layers)");
        }
        JsonNode named = m.get("layers");
        if (named.isArray() && named.size() > MAX_LAYERS) {
            // every layer is read on its own: 25,000 of them (a 3.8 MB manifest) kept a registry read going for the
            // command's whole timeout
            throw j.error("the manifest has " + named.size() + " layers, more than the " + MAX_LAYERS
                    + " an image may have (container engines run at most 127)");
        }
        Descriptor configDesc = j.descriptor(m.get("config"), "the manifest's config");
        if (!CONFIG_TYPES.contains(configDesc.mediaType())) {
            // an artifact (a Helm chart, a signature, a WebAssembly module) shaped like an image: not one to run
            throw j.error("manifest " + manifestDigest + " is not a container image: its config's media type is '"
                    + dev.distrolix.Printable.shown(configDesc.mediaType(), 200) + "'");
        }
        if (named.isArray() && named.size() <= ASK_AT_ONCE) { // a hint: what does not parse is left to the checks below
            List<String> paths = new ArrayList<>(List.of(Json.blobPath(configDesc.digest())));
            for (JsonNode l : named) {
                try {
                    paths.add(Json.blobPath(Digest.parse(l.path("digest").asText())));
                } catch (IllegalArgumentException notADigest) {
                    // reported by descriptors() below, in its turn
                }
            }
            files.willAsk(paths);
        }
        byte[] configBytes = j.blob(configDesc, "config");
        ConfigReader config = ConfigReader.read(j, j.parse(configBytes, "config " + configDesc.digest()));
        List<Descriptor> layerDescs = descriptors(m, "manifest", "layers");
        if (layerDescs.size() != config.diffIds().size()) {
            throw j.error("the manifest has " + layerDescs.size() + " layers but the config lists "
                    + config.diffIds().size() + " diff_ids");
        }
        // the layers are checked below one by one; a registry is asked about them all at once (the few of a small
        // manifest already with the config), once the manifest and the config agree on how many there are
        files.willAsk(layerDescs.stream().map(d -> Json.blobPath(d.digest())).toList());
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerDescs.size(); i++) {
            Descriptor d = layerDescs.get(i);
            if (!LAYER_TYPES.contains(d.mediaType())) {
                throw j.error("layer " + (i + 1) + " has media type '" + d.mediaType() + "', not a container layer");
            }
            String path = Json.blobPath(d.digest());
            if (!j.filesHave(path)) {
                throw j.error("the manifest references layer " + (i + 1) + " blob " + d.digest() + ", which is missing");
            }
            // known without reading it: a file's, an archive member's, a registry's HEAD (0 taken as unknown: some
            // proxies answer a HEAD with Content-Length: 0)
            long held = files.size(path);
            if (held > 0 && d.size() >= 0 && held != d.size()) {
                // said before a copy reserves disk for the size claimed (9223372036854775807 bytes, say)
                throw new dev.distrolix.InputException(label(reference, i, d.digest()) + ": blob is " + held
                        + " bytes, the manifest says " + d.size());
            }
            layers.add(new StoredLayer(files, path, d.mediaType(), d.digest(), d.size(), config.diffIds().get(i),
                    label(reference, i, d.digest())));
        }
        return ImageParts.stored(bytes, manifestDigest, type, configDesc, configBytes, config.imageConfig(), layers);
    }

    private static final Set<String> CONFIG_TYPES = Set.of(MediaTypes.OCI_CONFIG, MediaTypes.DOCKER_CONFIG);

    /** OCI and Docker schema 2 documents say {@code "schemaVersion": 2}; one saying another version is of another format. */
    private void schemaVersion(JsonNode doc, Descriptor d) {
        JsonNode v = doc.get("schemaVersion");
        if (v != null && !(v.isIntegralNumber() && v.asLong() == 2)) {
            throw j.error("manifest " + d.digest() + " has schemaVersion "
                    + (v.isValueNode() ? dev.distrolix.Printable.shown(v.asText(), 40)
                    : "of type " + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + "; OCI and Docker schema 2 documents have 2");
        }
    }

    /** "oci:out/x: layer 3 (sha256:0123456789ab…)", 1-based as people count layers. */
    static String label(String reference, int index, Digest digest) {
        return reference + ": layer " + (index + 1) + " (" + digest.toString().substring(0, 19) + "…)";
    }

    private List<Descriptor> descriptors(JsonNode doc, String what, String field) {
        JsonNode a = doc.get(field);
        if (a == null || !a.isArray()) {
            throw j.error(what + " has no " + field + " list");
        }
        List<Descriptor> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : a) {
            out.add(j.descriptor(n, what + " " + field + "[" + i++ + "]"));
        }
        return out;
    }

    private static String tags(List<Descriptor> ds) {
        return ds.stream().map(d -> d.annotations().get(REF_NAME)).filter(s -> s != null)
                .collect(Collectors.joining(", "));
    }
}
