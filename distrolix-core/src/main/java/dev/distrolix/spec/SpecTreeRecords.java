package dev.distrolix.spec;

import dev.distrolix.TempFiles;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.RecordKey;
import dev.distrolix.spec.SpecNode.Entry;
import dev.distrolix.spec.SpecNode.ListNode;
import dev.distrolix.spec.SpecNode.MapNode;
import dev.distrolix.spec.SpecNode.Scalar;
import dev.distrolix.spec.SpecNode.ScalarKind;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec documents already parsed, one file per document's bytes (and format), beside the layer cache: the tree a
 * build read ({@link SpecNode}, with every line and column) is kept, and the next build of the same bytes takes it
 * instead of parsing again (the same bytes, read by the same build of distrolix: {@link Reader}). A build's first
 * YAML parse in a fresh JVM is 25-60 ms of a 0.2 s edit + push (the parser's code runs for the first time); a record
 * is read in a few. The tree depends on the bytes alone (the file's name only goes into its locations, given when it
 * is read), so a record named by their SHA-256 is exactly the parse.
 * Records end with an HMAC under this user's {@link RecordKey} (the tree is what the image is made from), are
 * bounded ({@value #MAX_BYTES} bytes, {@value #MAX_NODES} nodes: an alias that shares a node is written out once per
 * use, and a document past the bound is only not kept), and are written atomically, best effort.
 */
public final class SpecTreeRecords {
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_NODES = 100_000;
    private static final String MAGIC = "distrolix-spec-tree";
    private static final int VERSION = 1;
    private static final int SCALAR = 0;
    private static final int LIST = 1;
    private static final int MAP = 2;
    private static final SpecTreeRecords NONE = new SpecTreeRecords(null, null);

    private final Path dir;
    private final RecordKey key;

    private SpecTreeRecords(Path dir, RecordKey key) {
        this.dir = dir;
        this.key = key;
    }

    /** The records in {@code dir} (made when the first is written), under {@code key}. */
    public static SpecTreeRecords in(Path dir, RecordKey key) {
        return new SpecTreeRecords(dir, key);
    }

    /** No records: every document is parsed. */
    public static SpecTreeRecords none() {
        return NONE;
    }

    /** The spec trees folder of a layer cache folder. */
    public static Path beside(Path layerCacheDir) {
        return layerCacheDir.resolve("specs");
    }

    /** The tree of {@code bytes} read as {@code format}, its locations in {@code file}: from its record, else parsed. */
    SpecNode read(byte[] bytes, Path file, SpecTreeReader.Format format) {
        byte[] k = dir == null ? null : key.bytes();
        if (k == null) {
            return SpecTreeReader.read(bytes, file, format);
        }
        byte[] reader = (format + "\0" + Reader.IDENTITY).getBytes(StandardCharsets.UTF_8);
        byte[] named = java.util.Arrays.copyOf(bytes, bytes.length + reader.length);
        System.arraycopy(reader, 0, named, bytes.length, reader.length);
        Path record = dir.resolve(Digest.sha256(named).hex());
        try {
            byte[] recorded = RecordKey.readRecord(record, MAX_BYTES);
            SpecNode tree = recorded == null ? null : decode(recorded, k, file);
            if (tree != null) {
                return tree;
            }
        } catch (IOException | RuntimeException unreadable) {
            // parsed again, and recorded anew
        }
        SpecNode tree = SpecTreeReader.read(bytes, file, format);
        try {
            byte[] encoded = encode(k, tree);
            if (encoded != null) {
                TempFiles.replaceQuietly(record, encoded);
            }
        } catch (IOException | RuntimeException notKept) {
            // only not kept
        }
        return tree;
    }

    /**
     * What reads a document: this format of the records, the YAML library's version and the jar this code was loaded
     * from (its size and time: a build of distrolix that reads documents otherwise has other records, without anyone
     * having to remember to say so).
     */
    private static final class Reader {
        static final String IDENTITY = VERSION + " " + com.fasterxml.jackson.dataformat.yaml.PackageVersion.VERSION + " "
                + codeStamp();

        private static String codeStamp() {
            try {
                Path code = Path.of(SpecTreeRecords.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return Files.isRegularFile(code) ? code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code)
                        : code.toString();
            } catch (IOException | RuntimeException | java.net.URISyntaxException unknown) {
                return "unknown";
            }
        }
    }

    /** The record's bytes, or null when the tree is past the bounds (then it is not kept). */
    static byte[] encode(byte[] key, SpecNode tree) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        int[] nodes = {0};
        if (!write(out, tree, nodes, 0)) {
            return null;
        }
        out.flush();
        return RecordKey.sealWithin(key, buf.toByteArray(), MAX_BYTES);
    }

    private static boolean write(DataOutputStream out, SpecNode node, int[] nodes, int depth) throws IOException {
        if (++nodes[0] > MAX_NODES || depth > SpecTreeReader.MAX_DEPTH || out.size() > MAX_BYTES) {
            return false;
        }
        writeLocation(out, node.location());
        if (node instanceof Scalar s) {
            out.writeByte(SCALAR);
            out.writeByte(s.kind().ordinal());
            RecordKey.writeString(out, s.text());
        } else if (node instanceof ListNode l) {
            out.writeByte(LIST);
            out.writeInt(l.items().size());
            for (SpecNode item : l.items()) {
                if (!write(out, item, nodes, depth + 1)) {
                    return false;
                }
            }
        } else {
            MapNode m = (MapNode) node;
            out.writeByte(MAP);
            out.writeInt(m.entries().size());
            for (Entry e : m.entries().values()) {
                RecordKey.writeString(out, e.key());
                writeLocation(out, e.keyLocation());
                if (!write(out, e.value(), nodes, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The tree, its locations in {@code file}; null when the record is damaged or made under another key. */
    static SpecNode decode(byte[] bytes, byte[] key, Path file) throws IOException {
        DataInputStream in = RecordKey.open(key, bytes, MAGIC, VERSION);
        if (in == null) {
            return null;
        }
        SpecNode tree = read(in, file, 0);
        return in.available() == 0 ? tree : null;
    }

    private static SpecNode read(DataInputStream in, Path file, int depth) throws IOException {
        if (depth > SpecTreeReader.MAX_DEPTH) {
            throw new IOException("nested too deep");
        }
        SourceLocation location = readLocation(in, file);
        int type = in.readByte();
        switch (type) {
            case SCALAR -> {
                ScalarKind[] kinds = ScalarKind.values();
                int kind = in.readByte();
                if (kind < 0 || kind >= kinds.length) {
                    throw new IOException("no such scalar kind: " + kind);
                }
                return new Scalar(location, kinds[kind], RecordKey.readString(in));
            }
            case LIST -> {
                int n = RecordKey.count(in);
                List<SpecNode> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in, file, depth + 1));
                }
                return new ListNode(location, items);
            }
            case MAP -> {
                int n = RecordKey.count(in);
                Map<String, Entry> entries = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String k = RecordKey.readString(in);
                    SourceLocation keyLocation = readLocation(in, file);
                    entries.put(k, new Entry(k, keyLocation, read(in, file, depth + 1)));
                }
                return new MapNode(location, entries);
            }
            default -> throw new IOException("no such node type: " + type);
        }
    }

    private static void writeLocation(DataOutputStream out, SourceLocation at) throws IOException {
        out.writeInt(at.line());
        out.writeInt(at.column());
    }

    private static SourceLocation readLocation(DataInputStream in, Path file) throws IOException {
        return new SourceLocation(file, in.readInt(), in.readInt()); // refuses a line or column out of range
    }
}
