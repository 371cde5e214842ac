package dev.distrolix.inspect.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.image.Platform;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.OciImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an image from the files of an OCI image layout (a directory, an oci-archive, or the
 * OCI part of a docker-archive): index.json → the manifest named by TAG, or the only one, or the
 * linux/amd64 one → (through nested indexes) the image manifest → config → layer descriptors.
 * Accepts OCI and Docker media types; every document's digest is checked; every layer blob must
 * exist before any output is produced.
 */
final class OciLayoutReader {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final Set<String> INDEX_TYPES = Set.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final Set<String> LAYER_TYPES = Set.of(MediaTypes.OCI_LAYER_TAR, MediaTypes.OCI_LAYER_GZIP,
            MediaTypes.OCI_LAYER_ZSTD, MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_LAYER_TAR,
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

    private OciLayoutReader() {}

    static OciImage read(String reference, ImageFiles files, String tag) throws IOException {
        Json j = new Json(reference, files);
        if (!files.exists("index.json")) {
            throw j.error("not an OCI image layout (no index.json)");
        }
        JsonNode index = j.file("index.json");
        List<Descriptor> manifests = descriptors(j, index, "index.json");
        Descriptor chosen = chooseByTag(j, manifests, tag);
        List<String> names = new ArrayList<>();
        String name = chosen.annotations().getOrDefault(CONTAINERD_NAME, chosen.annotations().get(REF_NAME));
        if (name != null) {
            names.add(name);
        }
        for (int depth = 0; ; depth++) {
            byte[] bytes = j.blob(chosen, "manifest");
            JsonNode doc = j.parse(bytes, "manifest " + chosen.digest());
            String type = doc.hasNonNull("mediaType") ? doc.get("mediaType").asText() : chosen.mediaType();
            if (INDEX_TYPES.contains(type) || (type.isEmpty() && doc.has("manifests"))) {
                if (depth > 4) {
                    throw j.error("image indexes nested too deep");
                }
                chosen = chooseByPlatform(j, descriptors(j, doc, "index " + chosen.digest()), null);
                continue;
            }
            return image(j, reference, chosen.digest(), type.isEmpty() ? MediaTypes.OCI_MANIFEST : type, doc, names);
        }
    }

    private static OciImage image(Json j, String reference, Digest manifestDigest, String manifestType, JsonNode m,
                                  List<String> names) throws IOException {
        if (!m.has("config") || !m.has("layers")) {
            throw j.error("manifest " + manifestDigest + " is not an image manifest (no config or layers)");
        }
        Descriptor configDesc = j.descriptor(m.get("config"), "the manifest's config");
        JsonNode configJson = j.parse(j.blob(configDesc, "config"), "config " + configDesc.digest());
        ConfigReader config = ConfigReader.read(j, configJson);
        List<Descriptor> layerDescs = descriptors(j, m, "manifest", "layers");
        if (layerDescs.size() != config.diffIds().size()) {
            throw j.error("the manifest has " + layerDescs.size() + " layers but the config lists "
                    + config.diffIds().size() + " diff_ids");
        }
        List<LayerInfo> layers = new ArrayList<>();
        for (int i = 0; i < layerDescs.size(); i++) {
            Descriptor d = layerDescs.get(i);
            if (!LAYER_TYPES.contains(d.mediaType())) {
                throw j.error("layer " + (i + 1) + " has media type '" + d.mediaType() + "', not a container layer");
            }
            String path = Json.blobPath(d.digest());
            if (!j.filesHave(path)) {
                throw j.error("the manifest references layer " + (i + 1) + " blob " + d.digest() + ", which is missing");
            }
            layers.add(new LayerInfo(i, d.mediaType(), d.digest(), d.size(), config.diffIds().get(i), path));
        }
        return new OciImage(reference, manifestDigest, manifestType, configDesc.digest(), names, config.platform(),
                config.created(), config.config(), config.history(), layers, config.json(), j::open);
    }

    private static List<Descriptor> descriptors(Json j, JsonNode doc, String what) {
        return descriptors(j, doc, what, "manifests");
    }

    private static List<Descriptor> descriptors(Json j, JsonNode doc, String what, String field) {
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

    private static Descriptor chooseByTag(Json j, List<Descriptor> manifests, String tag) {
        if (tag == null) {
            return chooseByPlatform(j, manifests, "the layout");
        }
        List<Descriptor> tagged = manifests.stream().filter(d -> tag.equals(d.annotations().get(REF_NAME))
                || tag.equals(d.annotations().get(CONTAINERD_NAME))).toList();
        if (tagged.isEmpty()) {
            throw j.error("no image tagged '" + tag + "' (tags: " + tags(manifests) + ")");
        }
        return chooseByPlatform(j, tagged, "tag '" + tag + "'");
    }

    /** The only entry, or the linux/amd64 one among per-platform entries. */
    private static Descriptor chooseByPlatform(Json j, List<Descriptor> ds, String what) {
        if (ds.isEmpty()) {
            throw j.error((what == null ? "the image index" : what) + " holds no image");
        }
        if (ds.size() == 1) {
            return ds.get(0);
        }
        List<Descriptor> amd64 = ds.stream().filter(d -> Platform.linuxAmd64().equals(d.platform() == null ? null
                : Platform.of(d.platform().architecture(), d.platform().os()))).toList();
        if (amd64.size() == 1) {
            return amd64.get(0);
        }
        if (what != null && ds.stream().allMatch(d -> d.platform() == null)) {
            throw j.error(what + " holds " + ds.size() + " images; name one with :TAG (tags: " + tags(ds) + ")");
        }
        throw j.error("no single linux/amd64 image among " + ds.size() + " platforms");
    }

    private static String tags(List<Descriptor> ds) {
        String t = ds.stream().map(d -> d.annotations().get(REF_NAME)).filter(s -> s != null)
                .collect(Collectors.joining(", "));
        return t.isEmpty() ? "none" : t;
    }
}
