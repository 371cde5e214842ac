package dev.distrolix.inspect.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.OciImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code docker save} archive through its manifest.json — the one part every producer
 * writes: legacy Docker ({@code <id>/layer.tar}, {@code <hex>.json}), podman ({@code <hex>.tar}),
 * Docker 25 and distrolix ({@code blobs/sha256/<hex>}). The archive has no image manifest, so the
 * image has no manifest digest; a layer's digest is its file name when that is a digest, else its
 * diff_id (such layers are plain tars). The config is checked against its name when that is a digest.
 */
final class DockerArchiveReader {
    private static final Pattern HEX_NAME = Pattern.compile("(?:.*/)?(?:blobs/sha256/)?([0-9a-f]{64})(?:\\.json)?");

    private DockerArchiveReader() {}

    static OciImage read(String reference, ImageFiles files, String name) throws IOException {
        Json j = new Json(reference, files);
        if (!files.exists("manifest.json")) {
            throw j.error("not a docker-archive (no manifest.json)");
        }
        JsonNode manifest = j.file("manifest.json");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw j.error("manifest.json lists no image");
        }
        JsonNode entry = choose(j, manifest, name);
        String configPath = j.text(entry, "Config", "manifest.json");
        if (!files.exists(configPath)) {
            throw j.error("manifest.json references the config " + configPath + ", which is missing");
        }
        byte[] configBytes = files.readSmall(configPath, Json.MAX_DOCUMENT);
        Digest configDigest = Digest.sha256(configBytes);
        Digest named = digestInName(configPath);
        if (named != null) {
            j.checkDigest(configBytes, named, "config");
        }
        ConfigReader config = ConfigReader.read(j, j.parse(configBytes, "config " + configPath));
        JsonNode layerPaths = entry.get("Layers");
        if (layerPaths == null || !layerPaths.isArray()) {
            throw j.error("manifest.json has no Layers list");
        }
        if (layerPaths.size() != config.diffIds().size()) {
            throw j.error("manifest.json has " + layerPaths.size() + " layers but the config lists "
                    + config.diffIds().size() + " diff_ids");
        }
        List<LayerInfo> layers = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            String path = layerPaths.get(i).asText();
            if (!files.exists(path)) {
                throw j.error("manifest.json references layer " + (i + 1) + " " + path + ", which is missing");
            }
            Digest diffId = config.diffIds().get(i);
            Digest fromName = path.endsWith("layer.tar") ? null : digestInName(path);
            layers.add(new LayerInfo(i, MediaTypes.DOCKER_LAYER_TAR, fromName == null ? diffId : fromName,
                    files.size(path), diffId, path));
        }
        List<String> tags = new ArrayList<>();
        entry.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return new OciImage(reference, null, MediaTypes.DOCKER_MANIFEST, configDigest, tags, config.platform(),
                config.created(), config.config(), config.history(), layers, config.json(), j::open);
    }

    private static JsonNode choose(Json j, JsonNode manifest, String name) {
        if (name == null) {
            if (manifest.size() > 1) {
                throw j.error("the archive holds " + manifest.size() + " images; name one with :NAME:TAG");
            }
            return manifest.get(0);
        }
        List<String> all = new ArrayList<>();
        for (JsonNode e : manifest) {
            for (JsonNode t : e.path("RepoTags")) {
                String tag = t.asText();
                all.add(tag);
                if (tag.equals(name) || tag.equals(name + ":latest") || tag.endsWith("/" + name)
                        || tag.endsWith("/" + name + ":latest")) {
                    return e;
                }
            }
        }
        throw j.error("no image named '" + name + "' (names: " + (all.isEmpty() ? "none" : String.join(", ", all)) + ")");
    }

    static Digest digestInName(String path) {
        Matcher m = HEX_NAME.matcher(path);
        return m.matches() ? new Digest("sha256", m.group(1)) : null;
    }
}
