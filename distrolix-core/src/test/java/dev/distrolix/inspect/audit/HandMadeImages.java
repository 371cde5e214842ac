package dev.distrolix.inspect.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * OCI layouts written by hand, entry by entry, for what real builds rarely make: whiteouts,
 * symlinks climbing above the root, world-writable files, a config naming another platform than
 * the files are built for. Layers are uncompressed tars. {@link HandMadeIndex} puts several in
 * one index.
 */
public final class HandMadeImages {
    private final List<byte[]> layers = new ArrayList<>();
    private final ObjectNode runtime = new ObjectMapper().createObjectNode();
    private String architecture = "amd64";
    private String os = "linux";
    private String variant;

    /** Adds a layer; the consumer adds its entries. */
    public HandMadeImages layer(Consumer<Layer> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.accept(new Layer(tar));
            tar.finish();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        layers.add(bytes.toByteArray());
        return this;
    }

    public HandMadeImages config(Consumer<ObjectNode> edit) {
        edit.accept(runtime);
        return this;
    }

    /** The config's architecture, os and variant (null: none); linux/amd64 unless set. */
    public HandMadeImages platform(String architecture, String os, String variant) {
        this.architecture = architecture;
        this.os = os;
        this.variant = variant;
        return this;
    }

    /** One layer's entries. */
    public static final class Layer {
        private final TarArchiveOutputStream tar;

        Layer(TarArchiveOutputStream tar) {
            this.tar = tar;
        }

        public Layer dir(String path, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(path.endsWith("/") ? path : path + "/");
            e.setMode(040000 | mode);
            return put(e, null);
        }

        public Layer file(String path, int mode, byte[] content) {
            TarArchiveEntry e = new TarArchiveEntry(path);
            e.setMode(0100000 | mode);
            e.setSize(content.length);
            return put(e, content);
        }

        public Layer file(String path, int mode, String content) {
            return file(path, mode, content.getBytes(StandardCharsets.UTF_8));
        }

        public Layer symlink(String path, String target) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            e.setMode(0120777);
            return put(e, null);
        }

        public Layer hardlink(String path, String target) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_LINK);
            e.setLinkName(target);
            e.setMode(0100755);
            return put(e, null);
        }

        public Layer opaque(String dir) {
            return file((dir.endsWith("/") ? dir : dir + "/") + ".wh..wh..opq", 0644, new byte[0]);
        }

        public Layer whiteout(String path) {
            int slash = path.lastIndexOf('/');
            return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), 0644, new byte[0]);
        }

        private Layer put(TarArchiveEntry e, byte[] content) {
            try {
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            return this;
        }
    }

    /** Writes the layout and returns {@code oci:DIR}. */
    public String write(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").add(writeBlobs(dir));
        Files.write(dir.resolve("index.json"), json.writeValueAsBytes(index));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return "oci:" + dir;
    }

    /** Writes the layers, config and manifest into {@code dir/blobs} and returns the manifest's descriptor. */
    ObjectNode writeBlobs(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        ObjectNode config = json.createObjectNode();
        config.put("architecture", architecture).put("os", os);
        if (variant != null) {
            config.put("variant", variant);
        }
        config.set("config", runtime);
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ObjectNode manifest = json.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        ArrayNode layerDescs = json.createArrayNode();
        for (byte[] l : layers) {
            String d = put(blobs, l);
            diffIds.add(d);
            layerDescs.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar").put("digest", d)
                    .put("size", l.length);
        }
        byte[] configBytes = json.writeValueAsBytes(config);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", put(blobs, configBytes)).put("size", configBytes.length);
        manifest.set("layers", layerDescs);
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        return json.createObjectNode().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", put(blobs, manifestBytes)).put("size", manifestBytes.length);
    }

    static String put(Path blobs, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        Files.write(blobs.resolve(d.hex()), bytes);
        return d.toString();
    }
}
