package dev.distrolix.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageParts;
import dev.distrolix.image.ImageManifest;
import dev.distrolix.image.Layer;
import dev.distrolix.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code docker save} archive through its manifest.json — the one part every producer
 * writes: legacy Docker ({@code <id>/layer.tar}, {@code <hex>.json}), podman ({@code <hex>.tar}),
 * Docker 25 and distrolix ({@code blobs/sha256/<hex>}). Such an archive stores no image manifest:
 * the image gets an OCI manifest made here (as skopeo makes one), is marked
 * {@link Image#converted() converted}, and compares with others by config digest and diff_ids.
 */
final class DockerArchiveReader {
    private static final Pattern HEX_NAME = Pattern.compile("(?:.*/)?(?:blobs/sha256/)?([0-9a-f]{64})(?:\\.json|\\.tar)?");

    private DockerArchiveReader() {}

    /** The image and the RepoTags naming it. */
    record Read(Image image, List<String> names) {}

    static Read read(String reference, ImageFiles files, String name) throws IOException {
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
        List<Layer> layers = new ArrayList<>();
        List<Descriptor> descriptors = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            String path = layerPaths.get(i).asText();
            if (!files.exists(path)) {
                throw j.error("manifest.json references layer " + (i + 1) + " " + path + ", which is missing");
            }
            Digest diffId = config.diffIds().get(i);
            Compression c = sniff(files, path);
            Digest fromName = path.endsWith("layer.tar") ? null : digestInName(path);
            Digest digest = c == Compression.NONE ? diffId : fromName != null ? fromName : hash(files, path);
            String label = LayoutReader.label(reference, i, digest);
            layers.add(new StoredLayer(files, path, c.mediaType(), digest, files.size(path), diffId, label));
            descriptors.add(Descriptor.of(c.mediaType(), digest, files.size(path)));
        }
        Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length);
        byte[] made = CanonicalJson.manifest(new ImageManifest(configDesc, descriptors, null));
        List<String> tags = new ArrayList<>();
        entry.path("RepoTags").forEach(t -> tags.add(t.asText()));
        // no stored manifest: a converted image, known by no manifest digest
        return new Read(new ImageParts(made, Digest.sha256(made), MediaTypes.OCI_MANIFEST, configDesc, configBytes,
                config.imageConfig(), layers, null, true), tags);
    }

    private static Compression sniff(ImageFiles files, String path) throws IOException {
        try (InputStream in = files.open(path)) {
            return Compression.detect(in.readNBytes(4));
        }
    }

    private static Digest hash(ImageFiles files, String path) throws IOException {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = new DigestInputStream(files.open(path), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.ofSha256(md);
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
