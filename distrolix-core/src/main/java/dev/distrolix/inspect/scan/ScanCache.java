package dev.distrolix.inspect.scan;

import dev.distrolix.TempFiles;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.RecordKey;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.LayerWalker;
import dev.distrolix.inspect.ProgramSignatures;
import dev.distrolix.inspect.TarEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scans of layers already made, one file per layer blob ({@code <folder>/<blob hex>}), so that a layer
 * scanned once is not decompressed and hashed again (a warm build's SBOM reads only the layer it changed).
 * A record is of the blob with that digest and diff_id, read to its end and verified, for one set of
 * collectors ({@code kind}); it is given back only for a layer with the same digest and diff_id. Records
 * end with an HMAC-SHA256 under this user's {@link RecordKey} (kept outside the cache folder): a record is
 * evidence that goes into signed SBOMs, so one that was damaged, or written by anyone without the key (a
 * cache restored from another job), is removed and the layer read.
 * Decoded entries must be normalized absolute paths, as the walker makes them. Writes are atomic (temp
 * file and rename), so concurrent scans are fine. Records larger than {@link #MAX_BYTES} are not kept.
 */
public final class ScanCache {
    static final int MAX_BYTES = 64 << 20;
    /**
     * The most entries a record is read with for its entries alone ({@link #load} with no kind), and so the most a
     * read that keeps only entries records: a layer of 300,000 files took inspect out of a 160 MB heap while its
     * record was made (~100 bytes an entry, ~250 encoded, twice while encoding) beside the tree it builds anyway.
     */
    public static final int MAX_ENTRIES_ANY_KIND = 20_000;
    /** Bytes of a record read for its entries alone: an SBOM's of {@link #MAX_ENTRIES_ANY_KIND} entries is far smaller. */
    static final int MAX_BYTES_ANY_KIND = 16 << 20;
    private static final String MAGIC = "distrolix-scan-record";
    /**
     * Bumped whenever what the walker derives of a file (its program signature, its store references masked) or of
     * a layer changes: a record of another version is read again, so no replay says what a read no longer would.
     */
    private static final int VERSION = 2;
    /** Each entry takes at least this many bytes of a record: bounds what a count can claim. */
    private static final int MIN_ENTRY_BYTES = 16;
    private static final int MAX_STRING_BYTES = 65_535; // DataOutput's modified UTF-8 limit
    private final Path dir;
    private final RecordKey key;

    private ScanCache(Path dir, RecordKey key) {
        this.dir = dir;
        this.key = key;
    }

    /** The records in {@code dir} (made when the first one is written), under this user's key. */
    public static ScanCache in(Path dir) {
        return new ScanCache(dir, RecordKey.user());
    }

    /** The records in {@code dir}, authenticated with the key in {@code keyFile} (made if missing). */
    public static ScanCache in(Path dir, Path keyFile) {
        return new ScanCache(dir, RecordKey.in(keyFile));
    }

    /** The scans folder of a layer cache folder. */
    public static Path beside(Path layerCacheDir) {
        return layerCacheDir.resolve("scans");
    }

    public Path dir() {
        return dir;
    }

    /**
     * The record of this layer for collectors {@code kind}, or null (none, another kind, damaged). With no
     * collectors and a null {@code kind}, the record of any kind, its entries only (what a plain read of the
     * layer gives: every kind's record holds them).
     */
    public LayerScanRecord load(LayerInfo layer, String kind, int collectors) {
        Path file = dir.resolve(layer.digest().hex());
        try {
            byte[] bytes = RecordKey.readRecord(file, kind == null ? MAX_BYTES_ANY_KIND : MAX_BYTES);
            byte[] k = bytes == null ? null : key.bytes();
            if (k == null) {
                return null;
            }
            LayerScanRecord r;
            try {
                r = decode(bytes, k, layer, kind, collectors);
            } catch (IOException | RuntimeException damaged) {
                r = null;
            }
            if (r == null && kind != null) {
                // damaged or stale: the next scan writes it again (one read for its entries alone leaves it: it may
                // be only too large for that)
                Files.deleteIfExists(file);
            }
            return r;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Keeps the record of this layer; best effort (a record that cannot be written is only not kept). */
    public void store(LayerInfo layer, String kind, LayerScanRecord record) {
        Path file = dir.resolve(layer.digest().hex());
        try {
            byte[] k = key.bytes();
            byte[] bytes = k == null ? null : encode(k, layer, kind, record);
            if (bytes != null) {
                TempFiles.replaceQuietly(file, bytes);
            }
        } catch (IOException | RuntimeException notKept) {
            // only not kept
        }
    }

    /** The record's bytes, or null when it is too large or holds a string too long to write. */
    static byte[] encode(byte[] key, LayerInfo layer, String kind, LayerScanRecord r) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(kind);
        out.writeUTF(layer.digest().toString());
        out.writeUTF(layer.diffId().toString());
        LayerWalker.Sizes sizes = r.layer().sizes();
        out.writeLong(sizes.compressed());
        out.writeLong(sizes.uncompressed());
        out.writeUTF(sizes.compression().name());
        out.writeInt(r.layer().entries().size());
        for (LayerWalker.KnownEntry k : r.layer().entries()) {
            TarEntry e = k.entry();
            if (!fits(e.path()) || !fits(e.linkTarget())) {
                return null;
            }
            out.writeUTF(e.path());
            out.writeUTF(e.type().name());
            out.writeInt(e.mode());
            out.writeLong(e.uid());
            out.writeLong(e.gid());
            out.writeLong(e.size());
            writeNullable(out, e.linkTarget());
            writeNullable(out, k.sha256() == null ? null : k.sha256().toString());
            writeNullable(out, k.storeRefDigest() == null ? null : k.storeRefDigest().toString());
            writeNullable(out, k.program() == null ? null : k.program().program() + "/" + k.program().kind());
        }
        out.writeInt(r.fileFindings().size());
        for (int c = 0; c < r.fileFindings().size(); c++) {
            Map<Integer, List<String>> files = r.fileFindings().get(c);
            out.writeInt(files.size());
            for (Map.Entry<Integer, List<String>> f : files.entrySet()) {
                out.writeInt(f.getKey());
                out.writeInt(f.getValue().size());
                for (String s : f.getValue()) {
                    if (!fits(s)) {
                        return null;
                    }
                    out.writeUTF(s);
                }
            }
            Map<String, String> whole = r.layerFindings().get(c);
            out.writeInt(whole.size());
            for (Map.Entry<String, String> w : whole.entrySet()) {
                if (!fits(w.getKey()) || !fits(w.getValue())) {
                    return null;
                }
                out.writeUTF(w.getKey());
                out.writeUTF(w.getValue());
            }
            if (buf.size() > MAX_BYTES - RecordKey.MAC_BYTES) {
                return null;
            }
        }
        out.flush();
        if (buf.size() > MAX_BYTES - RecordKey.MAC_BYTES) {
            return null;
        }
        return RecordKey.seal(key, buf.toByteArray());
    }

    /** The record, or null when the bytes are damaged or of another layer, kind or format. */
    static LayerScanRecord decode(byte[] bytes, byte[] key, LayerInfo layer, String kind, int collectors)
            throws IOException {
        DataInputStream in = RecordKey.open(key, bytes, MAGIC, VERSION);
        if (in == null) {
            return null;
        }
        String recordedKind = in.readUTF();
        if (kind != null && !recordedKind.equals(kind)
                || !in.readUTF().equals(layer.digest().toString()) || !in.readUTF().equals(layer.diffId().toString())) {
            return null;
        }
        LayerWalker.Sizes sizes = new LayerWalker.Sizes(in.readLong(), in.readLong(), Compression.valueOf(in.readUTF()));
        int n = in.readInt();
        if (n < 0 || (long) n * MIN_ENTRY_BYTES > in.available() || kind == null && n > MAX_ENTRIES_ANY_KIND) {
            return null;
        }
        List<LayerWalker.KnownEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TarEntry e = new TarEntry(in.readUTF(), FsEntry.Type.valueOf(in.readUTF()), in.readInt(), in.readLong(),
                    in.readLong(), in.readLong(), readNullable(in));
            if (!normalized(e.path()) || e.type() == FsEntry.Type.HARDLINK && !normalized(e.linkTarget())) {
                return null; // the walker never records such a path
            }
            String sha = readNullable(in);
            String masked = readNullable(in);
            String program = readNullable(in);
            ProgramSignatures.Signature signature = null;
            if (program != null) {
                signature = ProgramSignatures.SIGNATURES.stream()
                        .filter(s -> (s.program() + "/" + s.kind()).equals(program)).findFirst().orElse(null);
                if (signature == null) {
                    return null; // a program this version does not know: read the layer
                }
            }
            entries.add(new LayerWalker.KnownEntry(e, sha == null ? null : Digest.parse(sha),
                    masked == null ? null : Digest.parse(masked), signature));
        }
        if (kind == null) {
            return collectors == 0 ? new LayerScanRecord(new LayerWalker.KnownLayer(entries, sizes), List.of(), List.of())
                    : null;
        }
        int c = RecordKey.count(in);
        if (c != collectors) {
            return null;
        }
        List<Map<Integer, List<String>>> files = new ArrayList<>();
        List<Map<String, String>> layers = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            Map<Integer, List<String>> byEntry = new TreeMap<>();
            int f = RecordKey.count(in);
            for (int i = 0; i < f; i++) {
                int entry = in.readInt();
                if (entry < 0 || entry >= n) {
                    return null;
                }
                int m = RecordKey.count(in);
                List<String> found = new ArrayList<>();
                for (int j = 0; j < m; j++) {
                    found.add(in.readUTF());
                }
                byEntry.put(entry, List.copyOf(found));
            }
            Map<String, String> whole = new LinkedHashMap<>();
            int w = RecordKey.count(in);
            for (int i = 0; i < w; i++) {
                whole.put(in.readUTF(), in.readUTF());
            }
            files.add(byEntry);
            layers.add(whole);
        }
        if (in.available() != 0) {
            return null;
        }
        return new LayerScanRecord(new LayerWalker.KnownLayer(entries, sizes), files, layers);
    }

    /** "/a/b": absolute, no empty, "." or ".." component, not the root itself (what the walker makes of a name). */
    static boolean normalized(String path) {
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            return false;
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(String s) {
        return s == null || s.length() * 3 <= MAX_STRING_BYTES;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
