package dev.distrolix.copy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.InputException;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.registry.ManifestBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image in an OCI image layout folder ({@code oci:DIR[:TAG]}, or an unpacked oci-archive or
 * Docker 25 docker-archive). The tag is matched against {@code org.opencontainers.image.ref.name};
 * without one, the layout must hold exactly one image.
 */
final class LayoutSource implements SourceImage {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    private final Path root;
    private final String describe;
    private final ManifestBytes top;
    private final String name;
    private final String tag;
    private final Path unpacked;

    private LayoutSource(Path root, String describe, ManifestBytes top, String name, String tag, Path unpacked) {
        this.root = root;
        this.describe = describe;
        this.top = top;
        this.name = name;
        this.tag = tag;
        this.unpacked = unpacked;
    }

    /** {@code unpacked} is a temp folder to delete on close (null for a user's folder). */
    static LayoutSource open(Path root, String tag, String describe, Path unpacked) throws IOException {
        Path index = root.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            throw new InputException(describe + " is not an OCI image layout (no index.json)");
        }
        List<JsonNode> entries = new ArrayList<>();
        ImageParts.tree(Files.readAllBytes(index), "index.json of " + describe).path("manifests").forEach(entries::add);
        JsonNode chosen = choose(entries, tag, describe);
        Descriptor d = ImageParts.descriptor(chosen, describe);
        LayoutSource s = new LayoutSource(root, describe, null, null, null, unpacked);
        ManifestBytes top = s.manifest(d);
        String refName = chosen.path("annotations").path(REF_NAME).asText("");
        String fullName = chosen.path("annotations").path(CONTAINERD_NAME).asText("");
        return new LayoutSource(root, describe, top, nameOf(fullName), tag != null ? tag
                : refName.isEmpty() ? null : refName, unpacked);
    }

    private static JsonNode choose(List<JsonNode> entries, String tag, String describe) {
        if (tag == null) {
            if (entries.size() == 1) {
                return entries.get(0);
            }
            throw new InputException(describe + " holds " + entries.size() + " images; name one with :TAG"
                    + tags(entries));
        }
        for (JsonNode e : entries) {
            if (tag.equals(e.path("annotations").path(REF_NAME).asText(null))) {
                return e;
            }
        }
        throw new InputException(describe + " has no image tagged '" + tag + "'" + tags(entries));
    }

    private static String tags(List<JsonNode> entries) {
        List<String> tags = new ArrayList<>();
        entries.forEach(e -> {
            String t = e.path("annotations").path(REF_NAME).asText("");
            if (!t.isEmpty()) {
                tags.add(t);
            }
        });
        return tags.isEmpty() ? "" : " (tags: " + String.join(", ", tags) + ")";
    }

    /** "docker.io/library/nginx:1" → "nginx"; "127.0.0.1:5000/app:1" → "127.0.0.1:5000/app". */
    private static String nameOf(String full) {
        if (full.isEmpty()) {
            return null;
        }
        int colon = full.lastIndexOf(':');
        String n = colon > full.lastIndexOf('/') ? full.substring(0, colon) : full;
        return n.startsWith("docker.io/library/") ? n.substring(18) : n.startsWith("docker.io/") ? n.substring(10) : n;
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
    public ManifestBytes manifest(Descriptor d) throws IOException {
        byte[] bytes = read(d);
        Digest actual = Digest.sha256(bytes);
        if (!actual.equals(d.digest())) {
            throw new InputException("manifest " + d.digest() + " in " + describe + " hashes to " + actual);
        }
        return new ManifestBytes(bytes, d.mediaType(), actual);
    }

    @Override
    public Path blobFile(Descriptor d) throws IOException {
        Path p = root.resolve("blobs").resolve(d.digest().algorithm()).resolve(d.digest().hex());
        if (!Files.isRegularFile(p)) {
            throw new InputException(describe + " lacks blob " + d.digest());
        }
        if (Files.size(p) != d.size()) {
            throw new InputException("blob " + d.digest() + " in " + describe + " is " + Files.size(p)
                    + " bytes, its descriptor says " + d.size());
        }
        return p;
    }

    @Override
    public byte[] blobBytes(Descriptor d) throws IOException {
        return read(d);
    }

    private byte[] read(Descriptor d) throws IOException {
        try {
            return Files.readAllBytes(blobFile(d));
        } catch (NoSuchFileException e) {
            throw new InputException(describe + " lacks blob " + d.digest());
        }
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
        if (unpacked != null) {
            dev.distrolix.FileTrees.deleteTree(unpacked);
        }
    }
}
