package dev.distrolix.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes small images by hand, byte by byte, for what the builder never produces: whiteouts,
 * opaque directories, hostile tar entries, Docker media types, legacy docker-archives, broken
 * digests. Real tools read the same images in the CLI tests; here the reader's rules are pinned.
 */
public final class TestLayouts {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestLayouts() {}

    /** A tar being built: add entries, then {@link #bytes()}. */
    public static final class Tar {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(buf, "UTF-8");

        public Tar() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Tar dir(String name, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040000 | mode);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public Tar file(String name, String content) throws IOException {
            return file(name, content, 0644, 0, 0);
        }

        public Tar file(String name, String content, int mode, int uid, int gid) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setMode(0100000 | mode);
            e.setIds(uid, gid);
            e.setSize(b.length);
            tar.putArchiveEntry(e);
            tar.write(b);
            tar.closeArchiveEntry();
            return this;
        }

        public Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            e.setMode(0120777);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public Tar hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
            e.setLinkName(target);
            e.setMode(0100644);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public Tar rawFile(String name, byte[] content) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setMode(0100644);
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        public byte[] bytes() throws IOException {
            tar.finish();
            return buf.toByteArray();
        }
    }

    public enum Zip { GZIP, ZSTD, NONE }

    static byte[] compress(byte[] tar, Zip zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (zip == Zip.NONE) {
            return tar;
        }
        try (OutputStream z = zip == Zip.GZIP ? new GZIPOutputStream(out) : new ZstdOutputStream(out)) {
            z.write(tar);
        }
        return out.toByteArray();
    }

    static String mediaType(Zip zip, boolean docker) {
        if (docker) {
            return zip == Zip.NONE ? MediaTypes.DOCKER_LAYER_TAR : MediaTypes.DOCKER_LAYER_GZIP;
        }
        return zip == Zip.GZIP ? MediaTypes.OCI_LAYER_GZIP : zip == Zip.ZSTD ? MediaTypes.OCI_LAYER_ZSTD
                : MediaTypes.OCI_LAYER_TAR;
    }

    /** The config JSON for these layer tars (diff_ids = sha256 of the uncompressed tars). */
    static ObjectNode config(List<byte[]> tars) {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", "amd64");
        c.put("os", "linux");
        ObjectNode cc = c.putObject("config");
        cc.putArray("Cmd").add("/bin/app");
        cc.putArray("Env").add("PATH=/bin");
        cc.put("User", "1000");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        tars.forEach(t -> ids.add(Digest.sha256(t).toString()));
        return c;
    }

    /** An OCI layout (or, with docker=true, Docker media types in it) holding one image of these layers. */
    public static Path ociLayout(Path dir, List<byte[]> tars, Zip zip, boolean docker) throws IOException {
        return ociLayout(dir, tars, tars, zip, docker);
    }

    /** As above, with the config's diff_ids taken from {@code diffIdTars} (to make them lie). */
    public static Path ociLayout(Path dir, List<byte[]> tars, List<byte[]> diffIdTars, Zip zip, boolean docker)
            throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
                blob(dir, JSON.writeValueAsBytes(config(diffIdTars)))));
        ArrayNode layers = manifest.putArray("layers");
        for (byte[] t : tars) {
            layers.add(descriptor(mediaType(zip, docker), blob(dir, compress(t, zip))));
        }
        byte[] m = JSON.writeValueAsBytes(manifest);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = descriptor(manifest.get("mediaType").asText(), blob(dir, m));
        d.putObject("annotations").put("org.opencontainers.image.ref.name", "test");
        index.putArray("manifests").add(d);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        return dir;
    }

    /** A legacy docker-archive: {@code <id>/layer.tar}, {@code <hex>.json}, manifest.json with RepoTags. */
    public static Path legacyDockerArchive(Path file, List<byte[]> tars, String repoTag) throws IOException {
        Tar archive = new Tar();
        byte[] config = JSON.writeValueAsBytes(config(tars));
        String configName = Digest.sha256(config).hex() + ".json";
        archive.file(configName, new String(config, StandardCharsets.UTF_8));
        List<String> layerPaths = new ArrayList<>();
        for (int i = 0; i < tars.size(); i++) {
            String id = Digest.sha256(("layer" + i).getBytes(StandardCharsets.UTF_8)).hex();
            archive.dir(id, 0755);
            archive.rawFile(id + "/layer.tar", tars.get(i));
            archive.file(id + "/VERSION", "1.0");
            layerPaths.add(id + "/layer.tar");
        }
        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode entry = manifest.addObject();
        entry.put("Config", configName);
        entry.putArray("RepoTags").add(repoTag);
        ArrayNode ls = entry.putArray("Layers");
        layerPaths.forEach(ls::add);
        archive.file("manifest.json", JSON.writeValueAsString(manifest));
        Files.write(file, archive.bytes());
        return file;
    }

    record Blob(Digest digest, long size) {}

    static Blob blob(Path layout, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        Files.write(layout.resolve("blobs/sha256").resolve(d.hex()), bytes);
        return new Blob(d, bytes.length);
    }

    static ObjectNode descriptor(String mediaType, Blob b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("mediaType", mediaType);
        o.put("digest", b.digest().toString());
        o.put("size", b.size());
        return o;
    }
}
