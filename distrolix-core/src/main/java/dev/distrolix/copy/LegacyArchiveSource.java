package dev.distrolix.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.InputException;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.PushEvent;
import dev.distrolix.registry.PushListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A classic {@code docker save} / {@code podman save} archive (manifest.json, a config file and
 * uncompressed layer tars, no OCI index): turned into a Docker schema 2 image whose layers are
 * gzip-compressed here (the "compressing" state of a push), as {@code docker push} does.
 */
final class LegacyArchiveSource implements SourceImage {
    private final String describe;
    private final ManifestBytes top;
    private final Map<Digest, Path> blobs;
    private final String name;
    private final String tag;
    private final Path unpacked;

    private LegacyArchiveSource(String describe, ManifestBytes top, Map<Digest, Path> blobs, String name, String tag,
                                Path unpacked) {
        this.describe = describe;
        this.top = top;
        this.blobs = blobs;
        this.name = name;
        this.tag = tag;
        this.unpacked = unpacked;
    }

    static LegacyArchiveSource open(Path dir, String reference, String describe, PushListener listener)
            throws IOException {
        Path manifestJson = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestJson)) {
            throw new InputException(describe + " is not a docker-archive (no manifest.json or index.json)");
        }
        JsonNode item = choose(CanonicalJson.parse(Files.readAllBytes(manifestJson)), reference, describe);
        Path configFile = inside(dir, item.path("Config").asText(""), describe);
        byte[] config = Files.readAllBytes(configFile);
        Digest configDigest = Digest.sha256(config);
        List<Digest> diffIds = ImageParts.config(config, describe).diffIds();
        Map<Digest, Path> blobs = new HashMap<>();
        blobs.put(configDigest, configFile);
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        m.set("config", CanonicalJson.descriptor(Descriptor.of(MediaTypes.DOCKER_CONFIG, configDigest, config.length)));
        var layers = m.putArray("layers");
        JsonNode paths = item.path("Layers");
        if (paths.size() != diffIds.size()) {
            throw new InputException(describe + " lists " + paths.size() + " layers but its config has "
                    + diffIds.size() + " diff_ids");
        }
        for (int i = 0; i < paths.size(); i++) {
            Path layer = inside(dir, paths.get(i).asText(""), describe);
            Descriptor d = gzipped(layer, dir.resolve("layer-" + i + ".tar.gz"), diffIds.get(i), listener);
            blobs.put(d.digest(), dir.resolve("layer-" + i + ".tar.gz"));
            layers.add(CanonicalJson.descriptor(d));
        }
        ManifestBytes top = ManifestBytes.of(CanonicalJson.bytes(m), MediaTypes.DOCKER_MANIFEST);
        String repoTag = item.path("RepoTags").path(0).asText("");
        int colon = repoTag.lastIndexOf(':');
        boolean hasTag = colon > repoTag.lastIndexOf('/');
        return new LegacyArchiveSource(describe, top, blobs, repoTag.isEmpty() ? null : hasTag
                ? repoTag.substring(0, colon) : repoTag, hasTag ? repoTag.substring(colon + 1) : null, dir);
    }

    private static JsonNode choose(JsonNode items, String reference, String describe) {
        if (!items.isArray() || items.isEmpty()) {
            throw new InputException(describe + ": manifest.json lists no image");
        }
        if (reference == null) {
            if (items.size() == 1) {
                return items.get(0);
            }
            throw new InputException(describe + " holds " + items.size() + " images; name one with :NAME:TAG");
        }
        for (JsonNode item : items) {
            for (JsonNode t : item.path("RepoTags")) {
                String s = t.asText();
                if (s.equals(reference) || s.equals("localhost/" + reference) || s.equals("docker.io/library/" + reference)) {
                    return item;
                }
            }
        }
        throw new InputException(describe + " has no image named '" + reference + "'");
    }

    private static Path inside(Path dir, String name, String describe) {
        Path p = dir.resolve(name).normalize();
        if (name.isEmpty() || !p.startsWith(dir) || !Files.isRegularFile(p)) {
            throw new InputException(describe + ": manifest.json names a missing file '" + name + "'");
        }
        return p;
    }

    /** A layer as gzip: kept when it already is one, else compressed; checked against its diff_id. */
    private static Descriptor gzipped(Path layer, Path out, Digest diffId, PushListener listener) throws IOException {
        long size = Files.size(layer);
        byte[] magic;
        try (InputStream in = Files.newInputStream(layer)) {
            magic = in.readNBytes(2);
        }
        if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            Files.move(layer, out);
            return Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, Digest.sha256(out), size);
        }
        listener.on(new PushEvent.BlobUpdate(diffId, size, PushEvent.State.COMPRESSING, 0, null));
        MessageDigest tarHash = Digest.newSha256();
        MessageDigest gzHash = Digest.newSha256();
        try (InputStream in = Files.newInputStream(layer);
             OutputStream file = new DigestOutputStream(Files.newOutputStream(out), gzHash);
             OutputStream gz = new DigestOutputStream(new GZIPOutputStream(file, 1 << 16), tarHash)) {
            in.transferTo(gz);
        }
        if (!Digest.ofSha256(tarHash).equals(diffId)) {
            throw new InputException("layer " + layer.getFileName() + " does not match its diff_id " + diffId);
        }
        Files.delete(layer);
        Digest digest = Digest.ofSha256(gzHash);
        listener.on(new PushEvent.BlobUpdate(diffId, size, PushEvent.State.COMPRESSING, size, digest.toString()));
        return Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, digest, Files.size(out));
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public ManifestBytes top() {
        return top;
    }

    @Override
    public ManifestBytes manifest(Descriptor d) {
        throw new IllegalStateException("a docker-archive image has no index");
    }

    @Override
    public Path blobFile(Descriptor d) {
        Path p = blobs.get(d.digest());
        if (p == null) {
            throw new InputException(describe + " lacks blob " + d.digest());
        }
        return p;
    }

    @Override
    public byte[] blobBytes(Descriptor d) throws IOException {
        return Files.readAllBytes(blobFile(d));
    }

    @Override
    public String defaultName() {
        return name;
    }

    @Override
    public String defaultTag() {
        return tag;
    }

    @Override
    public void close() throws IOException {
        dev.distrolix.FileTrees.deleteTree(unpacked);
    }
}
