package dev.distrolix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes a modified copy of an OCI layout whose config is changed by the caller (a label removed
 * or altered): the config, manifest and index are rewritten with correct digests, the layer blobs
 * are hard-linked, so the copy is a valid image that differs only where the test wants.
 */
public final class OciTamper {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciTamper() {}

    /** {@code layout} is "oci:DIR[:TAG]"; returns "oci:COPY" of the first manifest with the edited config. */
    public static String withConfig(String layout, Path copy, Consumer<ObjectNode> edit) {
        try {
            Path src = Path.of(layout.substring("oci:".length()).replaceFirst(":[^/:]*$", ""));
            Files.createDirectories(copy.resolve("blobs/sha256"));
            try (Stream<Path> blobs = Files.list(src.resolve("blobs/sha256"))) {
                for (Path b : blobs.toList()) {
                    Files.createLink(copy.resolve("blobs/sha256").resolve(b.getFileName()), b);
                }
            }
            Files.copy(src.resolve("oci-layout"), copy.resolve("oci-layout"));
            ObjectNode index = (ObjectNode) JSON.readTree(src.resolve("index.json").toFile());
            ObjectNode desc = (ObjectNode) index.get("manifests").get(0);
            ObjectNode manifest = (ObjectNode) JSON.readTree(blob(src, desc.get("digest").asText()));
            ObjectNode configDesc = (ObjectNode) manifest.get("config");
            ObjectNode config = (ObjectNode) JSON.readTree(blob(src, configDesc.get("digest").asText()));
            edit.accept(config);
            byte[] configBytes = JSON.writeValueAsBytes(config);
            configDesc.put("digest", put(copy, configBytes)).put("size", configBytes.length);
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            desc.put("digest", put(copy, manifestBytes)).put("size", manifestBytes.length);
            Files.write(copy.resolve("index.json"), JSON.writeValueAsBytes(index));
            return "oci:" + copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config's labels object (created if absent). */
    public static ObjectNode labels(ObjectNode config) {
        ObjectNode c = config.has("config") ? (ObjectNode) config.get("config") : config.putObject("config");
        JsonNode l = c.get("Labels");
        return l instanceof ObjectNode o ? o : c.putObject("Labels");
    }

    private static byte[] blob(Path layout, String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    private static String put(Path layout, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        Path p = layout.resolve("blobs/sha256").resolve(d.hex());
        Files.deleteIfExists(p);
        Files.write(p, bytes);
        return d.toString();
    }
}
