package dev.distrolix.nix.substituter;

import dev.distrolix.TempFiles;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.RecordKey;
import dev.distrolix.nix.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The listings of store paths read from their NARs (what is a directory, where each symlink points), one file per
 * path and NarHash, beside the layer cache. A build from a lock lists the profile's packages for its links: without
 * a record, even a build whose layers are all cached downloads and decodes those NARs again (the JRE's is 190 MB,
 * ~4 s). A record is written only from a NAR whose NarHash was checked, and read only for that NarHash (a lock
 * pinning other contents has another record); it ends with an HMAC under this user's {@link RecordKey}, is bounded
 * ({@value #MAX_BYTES} bytes: a larger listing is only not kept) and is written atomically, best effort.
 */
public final class NarListingRecords {
    static final int MAX_BYTES = 16 << 20;
    private static final String MAGIC = "distrolix-nar-listing";
    private static final int VERSION = 1;
    private static final NarListingRecords NONE = new NarListingRecords(null, null);

    private final Path dir;
    private final RecordKey key;

    private NarListingRecords(Path dir, RecordKey key) {
        this.dir = dir;
        this.key = key;
    }

    /** The records in {@code dir} (made when the first is written), under {@code key}. */
    public static NarListingRecords in(Path dir, RecordKey key) {
        return new NarListingRecords(dir, key);
    }

    /** No records: every listing is read from its NAR. */
    public static NarListingRecords none() {
        return NONE;
    }

    /** The listings folder of a layer cache folder. */
    public static Path beside(Path layerCacheDir) {
        return layerCacheDir.resolve("listings");
    }

    /** The recorded listing of {@code path} with {@code narHash}; null where there is none to believe. */
    public Map<String, SubstituterStoreSource.Node> read(StorePath path, NarHash narHash) {
        byte[] k = keyBytes();
        if (k == null) {
            return null;
        }
        try {
            byte[] record = RecordKey.readRecord(file(path, narHash), MAX_BYTES);
            return record == null ? null : decode(record, k, path, narHash);
        } catch (IOException | RuntimeException unreadable) {
            return null; // read from the NAR, and recorded anew
        }
    }

    /** Records {@code listing}, read from a NAR of {@code path} whose hash was checked to be {@code narHash}. */
    public void write(StorePath path, NarHash narHash, Map<String, SubstituterStoreSource.Node> listing) {
        byte[] k = keyBytes();
        if (k == null) {
            return;
        }
        try {
            byte[] record = encode(k, path, narHash, listing);
            if (record != null) {
                TempFiles.replaceQuietly(file(path, narHash), record);
            }
        } catch (IOException | RuntimeException notKept) {
            // only not kept
        }
    }

    /** The key's bytes; null where nothing is kept (no folder, or no key to be had). */
    private byte[] keyBytes() {
        return dir == null ? null : key.bytes();
    }

    private Path file(StorePath path, NarHash narHash) {
        return dir.resolve(Digest.sha256((VERSION + "\0" + path.fullPath() + "\0" + narHash)
                .getBytes(StandardCharsets.UTF_8)).hex());
    }

    /** The record's bytes, or null when it would be past the bound. */
    static byte[] encode(byte[] key, StorePath path, NarHash narHash, Map<String, SubstituterStoreSource.Node> listing)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        RecordKey.writeString(out, path.fullPath());
        RecordKey.writeString(out, narHash.toString());
        out.writeInt(listing.size());
        for (Map.Entry<String, SubstituterStoreSource.Node> e : listing.entrySet()) {
            RecordKey.writeString(out, e.getKey());
            String target = e.getValue().symlinkTarget();
            out.writeByte(e.getValue().directory() ? 1 : target != null ? 2 : 0);
            if (target != null) {
                RecordKey.writeString(out, target);
            }
            if (out.size() > MAX_BYTES) {
                return null;
            }
        }
        out.flush();
        return RecordKey.sealWithin(key, buf.toByteArray(), MAX_BYTES);
    }

    /** The listing; null when the record is damaged, made under another key, or of another path or hash. */
    static Map<String, SubstituterStoreSource.Node> decode(byte[] record, byte[] key, StorePath path, NarHash narHash)
            throws IOException {
        DataInputStream in = RecordKey.open(key, record, MAGIC, VERSION);
        if (in == null || !RecordKey.readString(in).equals(path.fullPath()) || !RecordKey.readString(in).equals(narHash.toString())) {
            return null;
        }
        int n = RecordKey.count(in);
        Map<String, SubstituterStoreSource.Node> listing = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String rel = RecordKey.readString(in);
            int kind = in.readByte();
            if (kind < 0 || kind > 2) {
                throw new IOException("no such node kind: " + kind);
            }
            listing.put(rel, new SubstituterStoreSource.Node(kind == 1, kind == 2 ? RecordKey.readString(in) : null));
        }
        return in.available() == 0 ? Collections.unmodifiableMap(listing) : null;
    }
}
