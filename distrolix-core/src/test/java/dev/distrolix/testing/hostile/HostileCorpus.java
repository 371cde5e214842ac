package dev.distrolix.testing.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import dev.distrolix.blob.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile-input corpus, made by code in a temp folder (nothing large is committed; gigabytes
 * are declared in sparse files, never written). Each {@link Case} is an image reference (or a spec
 * file) with what every command must answer: an exit code and a message fragment (a regex found in
 * the one line on stderr), and at which stage the problem shows, which tells what {@code copy}
 * does (it copies layer bytes verbatim, so a bad tar inside a well-digested blob is copied).
 */
public final class HostileCorpus {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String ZSTD_LAYER = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String TAR_LAYER = "application/vnd.oci.image.layer.v1.tar";

    /** Where a problem shows. */
    public enum Stage {
        /** Opening the image (index, manifest, config, archive index): every command fails. */
        OPEN,
        /** A layer blob's own bytes (digest, size): every command that reads it fails, copy too. */
        BLOB,
        /** Inside a well-digested blob (compression, tar, diff_id): inspect and audit fail, copy succeeds. */
        CONTENT,
        /** Nothing is wrong for distrolix: every command succeeds. */
        OK,
        /** A spec for {@code build}. */
        SPEC,
        /** The reference itself does not parse. */
        REFERENCE;

        public boolean copyFails() {
            return this == OPEN || this == BLOB || this == REFERENCE;
        }
    }

    public record Case(String name, String reference, Stage stage, int exit, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Path root;
    private final List<Case> cases = new ArrayList<>();

    private HostileCorpus(Path root) {
        this.root = root;
    }

    /** Writes every case under {@code root}. */
    public static List<Case> write(Path root) {
        try {
            HostileCorpus c = new HostileCorpus(root);
            c.layouts();
            c.layers();
            c.archives();
            c.references();
            c.specs();
            return List.copyOf(c.cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void add(String name, String reference, Stage stage, String fragment) {
        cases.add(new Case(name, reference, stage, stage == Stage.OK ? 0 : 3, fragment));
    }

    // ---------------------------------------------------------------- building blocks

    public static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    public static byte[] zstd(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** A small valid layer tar. */
    public static byte[] goodTar(String tag) {
        return new HostileTar().dir("etc/").file("etc/hostname", tag + "\n").file("bin/app", "#!/bin/sh\n").bytes();
    }

    /** What a layout is made of: layer blobs (as stored), the tars their diff_ids are of, and their media type. */
    public record Spec(List<byte[]> blobs, List<byte[]> diffIdTars, String mediaType) {
        public static Spec gzipped(byte[]... tars) throws IOException {
            List<byte[]> blobs = new ArrayList<>();
            for (byte[] t : tars) {
                blobs.add(gzip(t));
            }
            return new Spec(blobs, List.of(tars), GZIP_LAYER);
        }
    }

    /** Paths of what {@link #layout} wrote. */
    public record Written(Path dir, Path manifest, Path config, List<Path> layers) {}

    public static Written layout(Path dir, Spec spec, Consumer<ObjectNode> editConfig, Consumer<ObjectNode> editManifest,
                                 Consumer<ObjectNode> editIndex) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config").putArray("Cmd").add("/bin/app");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        spec.diffIdTars().forEach(t -> ids.add(Digest.sha256(t).toString()));
        editConfig.accept(config);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Path configPath = blob(dir, configBytes);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.set("config", descriptor(OCI_CONFIG, configBytes));
        ArrayNode layers = manifest.putArray("layers");
        List<Path> layerPaths = new ArrayList<>();
        for (byte[] b : spec.blobs()) {
            layers.add(descriptor(spec.mediaType(), b));
            layerPaths.add(blob(dir, b));
        }
        editManifest.accept(manifest);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        Path manifestPath = blob(dir, manifestBytes);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = descriptor(OCI_MANIFEST, manifestBytes);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", "1");
        index.putArray("manifests").add(d);
        editIndex.accept(index);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        return new Written(dir, manifestPath, configPath, layerPaths);
    }

    /** Stores an OCI index listing {@code listed} (of {@code type}) {@code times} as linux/amd64; returns its bytes. */
    private static byte[] indexBlob(Path layout, String type, byte[] listed, int times) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        ArrayNode entries = index.putArray("manifests");
        for (int n = 0; n < times; n++) {
            ObjectNode e = descriptor(type, listed);
            e.putObject("platform").put("architecture", "amd64").put("os", "linux");
            entries.add(e);
        }
        byte[] bytes = JSON.writeValueAsBytes(index);
        blob(layout, bytes);
        return bytes;
    }

    /** Makes the layout's index.json name {@code indexBytes} (an index) as its one entry. */
    private static void tagIndex(Path layout, byte[] indexBytes) throws IOException {
        ObjectNode top = JSON.createObjectNode();
        top.put("schemaVersion", 2);
        top.putArray("manifests").add(descriptor(OCI_INDEX, indexBytes));
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(top));
    }

    public static Written layout(Path dir, Spec spec) throws IOException {
        return layout(dir, spec, c -> {}, m -> {}, i -> {});
    }

    public static Path blob(Path layout, byte[] bytes) throws IOException {
        Path p = layout.resolve("blobs/sha256").resolve(Digest.sha256(bytes).hex());
        Files.write(p, bytes);
        return p;
    }

    public static ObjectNode descriptor(String mediaType, byte[] bytes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("mediaType", mediaType);
        o.put("digest", Digest.sha256(bytes).toString());
        o.put("size", bytes.length);
        return o;
    }

    private static void flipBit(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    private Path dir(String name) {
        return root.resolve(name);
    }

    /** Deep nesting: {@code [[[[…]]]]}. */
    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    // ---------------------------------------------------------------- layouts (index, manifest, config)

    private void layouts() throws IOException {
        Spec good = Spec.gzipped(goodTar("a"), goodTar("b"));
        add("layout: valid (control)", "oci:" + layout(dir("ok"), good).dir(), Stage.OK, "");
        add("layout: missing directory", "oci:" + dir("nowhere"), Stage.OPEN, "no such directory");
        Files.createDirectories(dir("empty"));
        add("layout: empty directory", "oci:" + dir("empty"), Stage.OPEN, "no index\\.json");

        Written w = layout(dir("index-empty"), good);
        Files.write(w.dir().resolve("index.json"), new byte[0]);
        add("index.json: empty file", "oci:" + w.dir(), Stage.OPEN, "index\\.json is empty");

        w = layout(dir("index-garbage"), good);
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(w.dir().resolve("index.json"), garbage);
        add("index.json: binary garbage", "oci:" + w.dir(), Stage.OPEN, "index\\.json is not valid JSON");

        w = layout(dir("index-deep"), good);
        Files.writeString(w.dir().resolve("index.json"), "{\"manifests\":" + nested(100_000) + "}");
        add("index.json: nesting 100000 deep", "oci:" + w.dir(), Stage.OPEN, "not valid JSON.*(depth|nest)");

        w = layout(dir("index-long-string"), good);
        Files.writeString(w.dir().resolve("index.json"), "{\"x\":\"" + "a".repeat(5 << 20) + "\"}");
        add("index.json: a 5 MiB string", "oci:" + w.dir(), Stage.OPEN, "more than the 4194304");

        w = layout(dir("index-1g"), good);
        HostileTar.sparseFile(w.dir().resolve("index.json"), "{\"manifests\":[".getBytes(StandardCharsets.UTF_8),
                1L << 30);
        add("index.json: 1 GiB (sparse)", "oci:" + w.dir(), Stage.OPEN, "1073741824 bytes, more than the 4194304");

        w = layout(dir("index-dir"), good);
        Files.delete(w.dir().resolve("index.json"));
        Files.createDirectories(w.dir().resolve("index.json"));
        add("index.json: a directory", "oci:" + w.dir(), Stage.OPEN, "no index\\.json");

        w = layout(dir("index-no-manifests"), good, c -> {}, m -> {}, i -> i.remove("manifests"));
        add("index.json: no manifests", "oci:" + w.dir(), Stage.OPEN, "has no manifests list");

        w = layout(dir("index-bad-digest"), good, c -> {}, m -> {},
                i -> ((ObjectNode) i.get("manifests").get(0)).put("digest", "sha256:../../../etc/passwd"));
        add("index.json: digest with ../", "oci:" + w.dir(), Stage.OPEN, "digest");

        w = layout(dir("index-negative-size"), good, c -> {}, m -> {},
                i -> ((ObjectNode) i.get("manifests").get(0)).put("size", -5));
        add("index.json: negative size", "oci:" + w.dir(), Stage.OPEN, "no valid size");

        w = layout(dir("manifest-missing"), good);
        Files.delete(w.manifest());
        add("manifest: blob missing", "oci:" + w.dir(), Stage.OPEN, "manifest blob sha256:[0-9a-f]+ is missing");

        w = layout(dir("manifest-flip"), good);
        flipBit(w.manifest(), 20);
        add("manifest: one bit flipped", "oci:" + w.dir(), Stage.OPEN, "does not match its digest");

        w = layout(dir("manifest-size"), good, c -> {}, m -> {},
                i -> ((ObjectNode) i.get("manifests").get(0)).put("size", 3));
        add("manifest: wrong size in index", "oci:" + w.dir(), Stage.OPEN, "its descriptor says 3");

        w = layout(dir("manifest-1g"), good);
        HostileTar.sparseFile(w.manifest(), "{".getBytes(StandardCharsets.UTF_8), 1L << 30);
        add("manifest: 1 GiB blob (sparse)", "oci:" + w.dir(), Stage.OPEN, "more than the 4194304");

        w = layout(dir("manifest-dir"), good);
        Files.delete(w.manifest());
        Files.createDirectories(w.manifest());
        add("manifest: a directory", "oci:" + w.dir(), Stage.OPEN, "is missing");

        w = layout(dir("manifest-no-config"), good, c -> {}, m -> m.remove("config"), i -> {});
        add("manifest: no config", "oci:" + w.dir(), Stage.OPEN, "not an image manifest");

        w = layout(dir("manifest-bad-media-type"), good, c -> {},
                m -> ((ObjectNode) m.get("layers").get(0)).put("mediaType", "text/html"), i -> {});
        add("manifest: layer media type text/html", "oci:" + w.dir(), Stage.OPEN, "not a container layer");

        w = layout(dir("manifest-layers-object"), good, c -> {}, m -> m.putObject("layers"), i -> {});
        add("manifest: layers is an object", "oci:" + w.dir(), Stage.OPEN, "no layers list");

        w = layout(dir("manifest-layer-size-max"), good, c -> {},
                m -> ((ObjectNode) m.get("layers").get(0)).put("size", Long.MAX_VALUE), i -> {});
        add("manifest: a layer of 2^63-1 bytes (a copy would reserve it)", "oci:" + w.dir(), Stage.OPEN,
                "layer 1 \\(sha256:[0-9a-f]{12}…\\): blob is \\d+ bytes, the manifest says 9223372036854775807");

        w = layout(dir("manifest-schema-1"), good, c -> {}, m -> m.put("schemaVersion", 1), i -> {});
        add("manifest: schemaVersion 1", "oci:" + w.dir(), Stage.OPEN,
                "has schemaVersion 1; OCI and Docker schema 2 documents have 2");

        w = layout(dir("manifest-helm-config"), good, c -> {},
                m -> ((ObjectNode) m.get("config")).put("mediaType", "application/vnd.cncf.helm.config.v1+json"), i -> {});
        add("manifest: a Helm chart's config", "oci:" + w.dir(), Stage.OPEN,
                "is not a container image: its config's media type is 'application/vnd.cncf.helm.config.v1\\+json'");

        // 1,001 layers, all the same blob (a registry's served them one GET each until the command's timeout)
        w = layout(dir("manifest-1001-layers"), good, c -> {}, m -> {
            ArrayNode layers = (ArrayNode) m.get("layers");
            com.fasterxml.jackson.databind.JsonNode first = layers.get(0);
            layers.removeAll();
            for (int n = 0; n < 1001; n++) {
                layers.add(first.deepCopy());
            }
        }, i -> {});
        add("manifest: 1,001 layers", "oci:" + w.dir(), Stage.OPEN,
                "the manifest has 1001 layers, more than the 1000 an image may have");

        // an index that lists an index (an index cannot list itself: its digest would have to be a fixpoint)
        w = layout(dir("nested-index"), good);
        byte[] inner = indexBlob(w.dir(), OCI_MANIFEST, Files.readAllBytes(w.manifest()), 1);
        tagIndex(w.dir(), indexBlob(w.dir(), OCI_INDEX, inner, 1));
        add("index: lists an index that lists an index", "oci:" + w.dir(), Stage.OPEN, "nested indexes");

        // an index naming one image 1,001 times (audit --all-platforms read it once an entry)
        w = layout(dir("index-1001"), good);
        tagIndex(w.dir(), indexBlob(w.dir(), OCI_MANIFEST, Files.readAllBytes(w.manifest()), 1001));
        add("index: 1,001 entries", "oci:" + w.dir(), Stage.OPEN, "lists 1001 manifests, more than the 1000 an index may have");

        w = layout(dir("config-missing"), good);
        Files.delete(w.config());
        add("config: blob missing", "oci:" + w.dir(), Stage.OPEN, "config blob sha256:[0-9a-f]+ is missing");

        w = layout(dir("config-array"), good, c -> {}, m -> {}, i -> {});
        byte[] array = "[]".getBytes(StandardCharsets.UTF_8);
        blob(w.dir(), array);
        rewriteManifest(w, m -> m.set("config", descriptor(OCI_CONFIG, array)));
        add("config: a JSON array", "oci:" + w.dir(), Stage.OPEN, "not a JSON object");

        w = layout(dir("config-diff-ids"), good, c -> ((ArrayNode) c.get("rootfs").get("diff_ids")).remove(0),
                m -> {}, i -> {});
        add("config: one diff_id too few", "oci:" + w.dir(), Stage.OPEN, "2 layers but the config lists 1 diff_ids");

        w = layout(dir("config-bad-diff-id"), good,
                c -> ((ArrayNode) c.get("rootfs").get("diff_ids")).set(0, JSON.getNodeFactory().textNode("md5:x")),
                m -> {}, i -> {});
        add("config: diff_id not a digest", "oci:" + w.dir(), Stage.OPEN, "diff_ids");

        w = layout(dir("config-deep"), good, c -> {}, m -> {}, i -> {});
        byte[] deep = ("{\"rootfs\":" + nested(5000) + "}").getBytes(StandardCharsets.UTF_8);
        blob(w.dir(), deep);
        rewriteManifest(w, m -> m.set("config", descriptor(OCI_CONFIG, deep)));
        add("config: nesting 5000 deep", "oci:" + w.dir(), Stage.OPEN, "not valid JSON.*(depth|nest)");

        w = layout(dir("layer-missing"), good);
        Files.delete(w.layers().get(1));
        add("layer: blob missing", "oci:" + w.dir(), Stage.OPEN, "layer 2 blob sha256:[0-9a-f]+, which is missing");

        w = layout(dir("layer-dir"), good);
        Files.delete(w.layers().get(0));
        Files.createDirectories(w.layers().get(0));
        add("layer: a directory", "oci:" + w.dir(), Stage.OPEN, "which is missing");
    }

    /** Rewrites the manifest after {@code edit}, and the index to point to it. */
    private static void rewriteManifest(Written w, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(w.manifest().toFile());
        edit.accept(m);
        byte[] bytes = JSON.writeValueAsBytes(m);
        blob(w.dir(), bytes);
        ObjectNode index = (ObjectNode) JSON.readTree(w.dir().resolve("index.json").toFile());
        ObjectNode d = (ObjectNode) index.get("manifests").get(0);
        d.put("digest", Digest.sha256(bytes).toString()).put("size", bytes.length);
        Files.write(w.dir().resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    // ---------------------------------------------------------------- layer blobs and their tars

    private void layers() throws IOException {
        Spec good = Spec.gzipped(goodTar("a"), goodTar("b"));
        long size = good.blobs().get(1).length;
        for (long at : new long[] {1, 10, size / 2, size - 1}) {
            Written w = layout(dir("layer-truncated-" + at), good);
            truncate(w.layers().get(1), at);
            add("layer blob truncated at " + at + " of " + size, "oci:" + w.dir(), Stage.BLOB, "layer 2 \\(sha256:");
        }
        for (long at : new long[] {0, 3, size / 2, size - 5}) {
            Written w = layout(dir("layer-flip-" + at), good);
            flipBit(w.layers().get(1), at);
            add("layer blob bit flip at " + at, "oci:" + w.dir(), Stage.BLOB, "layer 2 \\(sha256:");
        }
        Written w = layout(dir("layer-size"), good, c -> {}, m -> ((ObjectNode) m.get("layers").get(0)).put("size", 99999),
                i -> {});
        add("layer: descriptor size too large", "oci:" + w.dir(), Stage.BLOB, "layer 1 \\(sha256:.*(99999|bytes)");

        // well-digested blobs with bad content
        byte[] tar = goodTar("c");
        byte[] gz = gzip(tar);
        for (int cut : new int[] {12, gz.length / 2, gz.length - 4}) {
            byte[] t = Arrays.copyOf(gz, cut);
            add("gzip truncated at " + cut + " (digest matches)", content("gzip-cut-" + cut, t, tar, GZIP_LAYER),
                    Stage.CONTENT, "layer 1 \\(sha256:.*(truncated|corrupt)");
        }
        byte[] zs = zstd(tar);
        add("zstd truncated (digest matches)", content("zstd-cut", Arrays.copyOf(zs, zs.length / 2), tar, ZSTD_LAYER),
                Stage.CONTENT, "layer 1 \\(sha256:.*(truncated|corrupt)");
        byte[] gzFlip = gz.clone();
        gzFlip[gz.length / 2] ^= 0x40;
        add("gzip bit flip (digest matches)", content("gzip-flip", gzFlip, tar, GZIP_LAYER), Stage.CONTENT,
                "layer 1 \\(sha256:");
        add("not gzip behind a gzip media type", content("not-gzip", "hello".getBytes(StandardCharsets.UTF_8), tar,
                GZIP_LAYER), Stage.CONTENT, "layer 1 \\(sha256:");
        add("diff_id of another tar", content("diff-id", gz, goodTar("other"), GZIP_LAYER), Stage.CONTENT,
                "diff_id mismatch");
        byte[] cutTar = Arrays.copyOf(tar, 512 + 3);
        add("tar truncated inside an entry (uncompressed, digest matches)", content("tar-cut", cutTar, cutTar, TAR_LAYER),
                Stage.CONTENT, "layer 1 \\(sha256:.*truncated");
        byte[] traversal = new HostileTar().file("../../etc/passwd", "x").bytes();
        add("tar member ../../etc/passwd", content("traversal", gzip(traversal), traversal, GZIP_LAYER), Stage.CONTENT,
                "path traversal");
        byte[] sparse = new HostileTar().entry("big".getBytes(StandardCharsets.UTF_8), 'S', new byte[0], null).bytes();
        add("tar: old GNU sparse entry", content("sparse", gzip(sparse), sparse, GZIP_LAYER), Stage.CONTENT, "sparse");
        byte[] paxSparse = new HostileTar().pax("GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=big",
                "GNU.sparse.realsize=1099511627776").file("GNUSparseFile.0/big", "1\n0\n0\n").bytes();
        add("tar: PAX 1.0 sparse entry of 1 TiB", content("pax-sparse", gzip(paxSparse), paxSparse, GZIP_LAYER),
                Stage.CONTENT, "layer 1 \\(sha256:.*(sparse|not a valid tar)"); // commons-compress trips on 1 TiB first
        byte[] hugeSize = new HostileTar().pax("size=999999999999999999").file("f", "").bytes();
        add("tar: PAX size of 10^18", content("pax-size", gzip(hugeSize), hugeSize, GZIP_LAYER), Stage.CONTENT,
                "layer 1 \\(sha256:");
        byte[] longName = new byte[(5 << 20) + 2048];
        System.arraycopy(HostileTar.header("././@LongLink", 'L', 1L << 30), 0, longName, 0, 512);
        Arrays.fill(longName, 512, longName.length, (byte) 'a');
        add("tar: GNU long name declaring 1 GiB", content("long-name", gzip(longName), longName, GZIP_LAYER),
                Stage.CONTENT, "layer 1 \\(sha256:.*(headers|long name)");
        byte[] escaping = new HostileTar().symlink("etc/evil", "../../../etc/shadow").bytes();
        // read as the runtime reads it (clamped at the root); audit reports it as a finding
        add("tar: symlink out of the root", content("escaping", gzip(escaping), escaping, GZIP_LAYER), Stage.OK, "");
        byte[] hardOut = new HostileTar().entry("hl".getBytes(StandardCharsets.UTF_8), '1', new byte[0], "/etc/shadow")
                .bytes();
        add("tar: hard link to /etc/shadow, not in the image", content("hard-out", gzip(hardOut), hardOut, GZIP_LAYER),
                Stage.CONTENT, "layer 1 \\(sha256:.*hard link /hl -> /etc/shadow names no file before it in the image");
        byte[] hardDir = new HostileTar().dir("etc").entry("hl".getBytes(StandardCharsets.UTF_8), '1', new byte[0], "etc")
                .bytes();
        add("tar: hard link to a directory", content("hard-dir", gzip(hardDir), hardDir, GZIP_LAYER),
                Stage.CONTENT, "hard link /hl -> /etc names a directory");
        byte[] nonUtf8 = new HostileTar().entry(new byte[] {'b', (byte) 0xff, (byte) 0xfe, 'x'}, '0',
                "x".getBytes(StandardCharsets.UTF_8), null).file("etc/hostname", "n\n").bytes();
        add("tar: non-UTF-8 member name", content("non-utf8", gzip(nonUtf8), nonUtf8, GZIP_LAYER), Stage.OK, "");
        byte[] absolute = new HostileTar().file("/etc/hostname", "abs\n").bytes();
        add("tar: absolute member /etc/hostname", content("absolute", gzip(absolute), absolute, GZIP_LAYER), Stage.OK, "");
        byte[] loop = new HostileTar().symlink("a", "b").symlink("b", "a").symlink("etc/self", "self").bytes();
        add("tar: symlink loops", content("loop", gzip(loop), loop, GZIP_LAYER), Stage.OK, "");
        HostileTar many = new HostileTar();
        for (int i = 0; i < 50_000; i++) {
            many.file("d" + (i % 100) + "/f" + i, new byte[0]);
        }
        byte[] manyTar = many.bytes();
        add("tar: 50000 members", content("many", gzip(manyTar), manyTar, GZIP_LAYER), Stage.OK, "");
        byte[] empty = new byte[1024];
        add("tar: empty layer (end blocks only)", content("empty-tar", gzip(empty), empty, GZIP_LAYER), Stage.OK, "");
        add("layer: empty blob", content("empty-blob", new byte[0], new byte[0], TAR_LAYER), Stage.OK, "");
    }

    /** A layout whose one layer is {@code blob}, correctly digested, with the diff_id of {@code diffIdTar}. */
    private String content(String name, byte[] blob, byte[] diffIdTar, String mediaType) throws IOException {
        return "oci:" + layout(dir("content-" + name), new Spec(List.of(blob), List.of(diffIdTar), mediaType)).dir();
    }

    // ---------------------------------------------------------------- archives

    private void archives() throws IOException {
        Written w = layout(dir("archive-src"), Spec.gzipped(goodTar("a")));
        byte[] archive = archiveOf(w.dir());
        Path ok = Files.write(dir("ok.tar"), archive);
        add("oci-archive: valid (control)", "oci-archive:" + ok, Stage.OK, "");
        for (long at : new long[] {100, 512 + 10, archive.length / 2, archive.length - 1024 - 1}) {
            Path p = Files.write(dir("cut-" + at + ".tar"), Arrays.copyOf(archive, (int) at));
            add("oci-archive truncated at " + at + " of " + archive.length, "oci-archive:" + p, Stage.OPEN,
                    "(truncated|not a tar|missing|more than)");
        }
        byte[] flipped = archive.clone();
        flipped[3] ^= 0x20;
        add("oci-archive: first header name bit flip", "oci-archive:" + Files.write(dir("flip-name.tar"), flipped),
                Stage.OPEN, "(checksum|not a tar)");
        Path empty = Files.write(dir("empty.tar"), new byte[0]);
        add("oci-archive: empty file", "oci-archive:" + empty, Stage.OPEN, "not a tar archive");
        Path garbage = dir("garbage.tar");
        byte[] g = new byte[10_000];
        new java.util.Random(3).nextBytes(g);
        Files.write(garbage, g);
        add("oci-archive: binary garbage", "oci-archive:" + garbage, Stage.OPEN, "not a tar archive");
        Files.createDirectories(dir("a-dir.tar"));
        add("oci-archive: a directory", "oci-archive:" + dir("a-dir.tar"), Stage.OPEN, "a folder, not an archive");

        Path bigManifest = HostileTar.sparseFile(dir("big-manifest.tar"),
                HostileTar.header("manifest.json", '0', (1L << 30)), (1L << 30) + 512 + 1024);
        add("docker-archive: manifest.json of 1 GiB (sparse)", "docker-archive:" + bigManifest, Stage.OPEN,
                "more than the 4194304");
        Path longName = HostileTar.sparseFile(dir("long-name.tar"), HostileTar.header("././@LongLink", 'L', 1L << 30),
                (1L << 30) + 512 + 1024);
        add("archive: GNU long name of 1 GiB (sparse)", "oci-archive:" + longName, Stage.OPEN, "GNU long name of");
        Path lies = HostileTar.sparseFile(dir("lies.tar"), HostileTar.header("index.json", '0', (1L << 33) - 1), 4096);
        add("archive: member declaring 8 GiB in a 4 KiB file", "oci-archive:" + lies, Stage.OPEN,
                "declares 8589934591 bytes");
        byte[] sparse = new HostileTar().entry("index.json".getBytes(StandardCharsets.UTF_8), 'S', new byte[0], null)
                .bytes();
        add("archive: sparse member", "oci-archive:" + Files.write(dir("sparse.tar"), sparse), Stage.OPEN, "sparse");
        byte[] traversal = new HostileTar().file("../index.json", "{}").bytes();
        add("archive: member ../index.json", "oci-archive:" + Files.write(dir("traversal.tar"), traversal), Stage.OPEN,
                "leaves the archive");
        Path many = dir("many.tar");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(many), 1 << 20)) {
            for (int i = 0; i <= 100_000; i++) {
                out.write(HostileTar.header("f" + i, '0', 0));
            }
            out.write(new byte[1024]);
        }
        add("archive: 100001 members", "oci-archive:" + many, Stage.OPEN, "more than 100000 members");
        add("archive: absolute member names", "oci-archive:" + Files.write(dir("absolute.tar"),
                archiveOf(w.dir(), "/")), Stage.OK, "");
        HostileTar nonUtf8 = tarOf(w.dir(), "");
        nonUtf8.entry(new byte[] {'z', (byte) 0xc3, (byte) 0x28}, '0', new byte[1], null);
        add("archive: a non-UTF-8 member name", "oci-archive:" + Files.write(dir("non-utf8.tar"), nonUtf8.bytes()),
                Stage.OK, "");
        dockerArchives();
    }

    private static HostileTar tarOf(Path layout, String prefix) throws IOException {
        HostileTar t = new HostileTar();
        t.file(prefix + "oci-layout", Files.readAllBytes(layout.resolve("oci-layout")));
        t.file(prefix + "index.json", Files.readAllBytes(layout.resolve("index.json")));
        try (var s = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path b : s.sorted().toList()) {
                t.file(prefix + "blobs/sha256/" + b.getFileName(), Files.readAllBytes(b));
            }
        }
        return t;
    }

    static byte[] archiveOf(Path layout) throws IOException {
        return archiveOf(layout, "");
    }

    static byte[] archiveOf(Path layout, String prefix) throws IOException {
        return tarOf(layout, prefix).bytes();
    }

    /** Legacy {@code docker save} shapes: repeated layers as symlinks, duplicate layer paths. */
    private void dockerArchives() throws IOException {
        byte[] base = goodTar("base");
        byte[] top = goodTar("top");
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64").put("os", "linux");
        ArrayNode ids = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        for (byte[] t : List.of(base, top, base)) {
            ids.add(Digest.sha256(t).toString());
        }
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configName = Digest.sha256(configBytes).hex() + ".json";
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        String c = "c".repeat(64);

        HostileTar links = new HostileTar().file(configName, configBytes)
                .dir(a + "/").file(a + "/layer.tar", base)
                .dir(b + "/").file(b + "/layer.tar", top)
                .dir(c + "/").symlink(c + "/layer.tar", "../" + a + "/layer.tar");
        links.file("manifest.json", manifestJson(configName, a + "/layer.tar", b + "/layer.tar", c + "/layer.tar"));
        add("docker-archive: a layer.tar symlink to a repeated layer",
                "docker-archive:" + Files.write(dir("docker-links.tar"), links.bytes()), Stage.OK, "");

        HostileTar dup = new HostileTar().file(configName, configBytes)
                .dir(a + "/").file(a + "/layer.tar", base)
                .dir(b + "/").file(b + "/layer.tar", top);
        dup.file("manifest.json", manifestJson(configName, a + "/layer.tar", b + "/layer.tar", a + "/layer.tar"));
        add("docker-archive: the same layer path twice in manifest.json",
                "docker-archive:" + Files.write(dir("docker-dup.tar"), dup.bytes()), Stage.OK, "");

        HostileTar loop = new HostileTar().file(configName, configBytes)
                .dir(a + "/").symlink(a + "/layer.tar", "../" + b + "/layer.tar")
                .dir(b + "/").symlink(b + "/layer.tar", "../" + a + "/layer.tar");
        loop.file("manifest.json", manifestJson(configName, a + "/layer.tar", b + "/layer.tar", a + "/layer.tar"));
        add("docker-archive: layer.tar symlinks in a loop",
                "docker-archive:" + Files.write(dir("docker-loop.tar"), loop.bytes()), Stage.OPEN, "loop of links");

        HostileTar out = new HostileTar().file(configName, configBytes)
                .dir(a + "/").symlink(a + "/layer.tar", "../../../etc/passwd");
        out.file("manifest.json", manifestJson(configName, a + "/layer.tar", a + "/layer.tar", a + "/layer.tar"));
        add("docker-archive: a layer.tar symlink out of the archive",
                "docker-archive:" + Files.write(dir("docker-out.tar"), out.bytes()), Stage.OPEN, "outside the archive");

        HostileTar deep = new HostileTar().file("manifest.json", nested(10_000));
        add("docker-archive: manifest.json nested 10000 deep",
                "docker-archive:" + Files.write(dir("docker-deep.tar"), deep.bytes()), Stage.OPEN,
                "not valid JSON.*(depth|nest)");

        HostileTar wrongType = new HostileTar().file("manifest.json", "[{\"Config\":5,\"Layers\":\"x\"}]");
        add("docker-archive: manifest.json with wrong types",
                "docker-archive:" + Files.write(dir("docker-types.tar"), wrongType.bytes()), Stage.OPEN, "Config");
    }

    private static String manifestJson(String config, String... layers) throws IOException {
        ArrayNode m = JSON.createArrayNode();
        ObjectNode e = m.addObject();
        e.put("Config", config);
        e.putArray("RepoTags").add("localhost/hostile:1");
        ArrayNode ls = e.putArray("Layers");
        for (String l : layers) {
            ls.add(l);
        }
        return JSON.writeValueAsString(m);
    }

    // ---------------------------------------------------------------- references and specs

    private void references() {
        add("reference: unknown transport", "nonsense-transport:foo", Stage.REFERENCE, "");
        add("reference: docker:// with no name", "docker://", Stage.REFERENCE, "");
        add("reference: oci: with no path", "oci:", Stage.REFERENCE, "");
    }

    private void specs() throws IOException {
        add("spec: missing file", dir("no-such-spec.yaml").toString(), Stage.SPEC, "no-such-spec\\.yaml");
        Files.createDirectories(dir("spec-dir.yaml"));
        add("spec: a directory", dir("spec-dir.yaml").toString(), Stage.SPEC, "spec-dir\\.yaml");
        byte[] g = new byte[8192];
        new java.util.Random(11).nextBytes(g);
        add("spec: binary garbage", Files.write(dir("garbage.yaml"), g).toString(), Stage.SPEC, "garbage\\.yaml");
        StringBuilder big = new StringBuilder("name: big\npackages:\n");
        while (big.length() < 10_000_000) {
            big.append("  - p").append(big.length()).append('\n');
        }
        add("spec: a 10 MB YAML", Files.writeString(dir("big.yaml"), big).toString(), Stage.SPEC, "big\\.yaml");
        add("spec: empty file", Files.writeString(dir("empty.yaml"), "").toString(), Stage.SPEC, "empty\\.yaml");
        add("spec: nesting 10000 deep", Files.writeString(dir("deep.yaml"), "name: " + nested(10_000) + "\n").toString(),
                Stage.SPEC, "deep\\.yaml");
    }
}
