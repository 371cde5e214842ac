package dev.distrolix.nix;

import dev.distrolix.TempFiles;
import dev.distrolix.blob.RecordKey;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Closures already asked of Nix, one file per set of roots, so that a warm build does not ask again ({@code nix
 * path-info} costs a build of nginx ~60 ms, of 3,000 paths ~0.3 s). What Nix says of a valid store path (NAR hash
 * and size, references, deriver) does not change while the path stays registered. A record is believed only while
 * Nix's database is unchanged since it was made (its file's and its write-ahead log's size, inode and times: a
 * build, a garbage collection, any registration changes them; a warm build's evaluation does not) and every path
 * still has the identity in the store it had then (device, inode, change time: one deleted, re-made, repaired,
 * re-linked by {@code nix-store --optimise} or chmodded is a miss). Otherwise Nix is asked again. Records end
 * with an HMAC-SHA256 under this user's {@link RecordKey}: the closure goes into the image's layers and its signed
 * provenance, so a record damaged or written without the key is not believed (and is removed). Writes are
 * atomic; a record that cannot be written is only not kept.
 */
public final class ClosureRecords {
    static final int MAX_BYTES = 64 << 20;
    private static final String MAGIC = "distrolix-closure-record";
    private static final int VERSION = 1;
    /** Each path takes at least this many bytes of a record: bounds what a count can claim. */
    private static final int MIN_PATH_BYTES = 40;
    private final Path dir;
    private final RecordKey key;
    private final Path database;

    private ClosureRecords(Path dir, RecordKey key, Path database) {
        this.dir = dir;
        this.key = key;
        this.database = database;
    }

    /** The records in {@code dir} (made when the first one is written), under {@code key}, of this machine's Nix. */
    public static ClosureRecords in(Path dir, RecordKey key) {
        return in(dir, key, nixDatabase());
    }

    /** The same, of the Nix whose database is {@code database}. */
    public static ClosureRecords in(Path dir, RecordKey key, Path database) {
        return new ClosureRecords(dir, key, database);
    }

    /** {@code $NIX_STATE_DIR/db/db.sqlite}, by default {@code /nix/var/nix/db/db.sqlite}. */
    public static Path nixDatabase() {
        return nixDatabase(System.getenv());
    }

    /** The same, of the Nix that runs with {@code env}. */
    static Path nixDatabase(Map<String, String> env) {
        String state = env.get("NIX_STATE_DIR");
        return Path.of(state != null && !state.isEmpty() ? state : "/nix/var/nix", "db", "db.sqlite");
    }

    /**
     * The database's state: size, inode and times of its file and of its write-ahead log (or that there is none, or
     * an empty one);
     * null when it cannot be read (then nothing is recorded or believed).
     */
    static String databaseStamp(Path db) {
        StringBuilder s = new StringBuilder();
        for (Path f : List.of(db, db.resolveSibling(db.getFileName() + "-wal"))) {
            try {
                Map<String, Object> a = Files.readAttributes(f, "unix:size,ino,lastModifiedTime,ctime");
                if (!f.equals(db) && ((Number) a.get("size")).longValue() == 0) {
                    // an empty log holds no change: readers (a waiting evaluation) make one and the last one out
                    // removes it; a write puts frames in it, or into the database file, whose times then change
                    s.append("no log;");
                    continue;
                }
                s.append(a.get("size")).append(' ').append(a.get("ino")).append(' ')
                        .append(((FileTime) a.get("lastModifiedTime")).toInstant()).append(' ')
                        .append(((FileTime) a.get("ctime")).toInstant()).append(';');
            } catch (java.nio.file.NoSuchFileException e) {
                if (f.equals(db)) {
                    return null;
                }
                s.append("no log;");
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return s.toString();
    }

    /** Whether no closure is recorded here (a fresh runner, a new cache): the next query asks Nix. */
    public boolean isEmpty() {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException | RuntimeException noFolder) {
            return true;
        }
    }

    /** The closures folder of a layer cache folder. */
    public static Path beside(Path layerCacheDir) {
        return layerCacheDir.resolve("closures");
    }

    /**
     * Nix's database as it is now ({@link #databaseStamp}): read once per query, before the record is looked up and
     * before Nix is asked, and given to both {@link #load} and {@link #store} (a change during the query then makes
     * the record a miss). Null: nothing is recorded or believed.
     */
    public String stamp() {
        return databaseStamp(database);
    }

    /**
     * The closure of {@code roots} as recorded, when Nix's database is as {@code stamp} says and every path in it is
     * still the one recorded.
     */
    public Optional<Closure> load(Collection<StorePath> roots, String stamp) {
        if (roots.isEmpty() || stamp == null) {
            return Optional.empty();
        }
        Path file = dir.resolve(name(roots));
        try {
            byte[] bytes = RecordKey.readRecord(file, MAX_BYTES);
            byte[] k = bytes == null ? null : key.bytes();
            if (k == null) {
                return Optional.empty();
            }
            Closure c;
            try {
                c = decode(bytes, k, stamp, roots);
            } catch (IOException | RuntimeException damaged) {
                c = null;
            }
            if (c == null) {
                Files.deleteIfExists(file); // damaged, or of paths no longer those: asked again and rewritten
            }
            return Optional.ofNullable(c);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Keeps {@code closure} (of {@code roots}), asked of Nix while its database was as {@code stamp} says; best
     * effort.
     */
    public void store(Collection<StorePath> roots, Closure closure, String stamp) {
        if (roots.isEmpty()) {
            return;
        }
        Path file = dir.resolve(name(roots));
        try {
            byte[] k = key.bytes();
            byte[] bytes = k == null || stamp == null ? null : encode(k, stamp, roots, closure);
            if (bytes != null) {
                TempFiles.replaceQuietly(file, bytes);
            }
        } catch (IOException | RuntimeException notKept) {
            // only not kept
        }
    }

    /** The file name of a set of roots: the SHA-256 of their sorted full paths. */
    static String name(Collection<StorePath> roots) {
        StringBuilder lines = new StringBuilder();
        sorted(roots).forEach(r -> lines.append(r.fullPath()).append('\n'));
        return dev.distrolix.blob.Digest.sha256(lines.toString().getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** The roots in one order whatever order they were given in (each once). */
    private static List<StorePath> sorted(Collection<StorePath> roots) {
        return new ArrayList<>(new TreeSet<>(roots));
    }

    /** A path's identity in the store, as {@code lstat} gives it; null when it is gone or cannot be told. */
    record Identity(long device, long inode, long ctimeSeconds, int ctimeNanos) {
        static Identity of(StorePath p) {
            try {
                Map<String, Object> a = Files.readAttributes(Path.of(p.fullPath()), "unix:dev,ino,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                FileTime ctime = (FileTime) a.get("ctime");
                java.time.Instant t = ctime.toInstant();
                return new Identity((Long) a.get("dev"), (Long) a.get("ino"), t.getEpochSecond(), t.getNano());
            } catch (IOException | RuntimeException e) {
                return null; // gone, or no unix view: no record
            }
        }

        // Written out: a record's generated equals and hashCode are linked on first call through method handles that
        // the JVM's start-up archives do not keep (the first such call in a run ~10 ms).
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && device == i.device && inode == i.inode && ctimeSeconds == i.ctimeSeconds
                    && ctimeNanos == i.ctimeNanos;
        }

        @Override
        public int hashCode() {
            return ((Long.hashCode(device) * 31 + Long.hashCode(inode)) * 31 + Long.hashCode(ctimeSeconds)) * 31
                    + ctimeNanos;
        }
    }

    /** The record's bytes, or null when a path cannot be told apart (then nothing is kept). */
    static byte[] encode(byte[] key, String stamp, Collection<StorePath> roots, Closure closure) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(stamp);
        List<StorePath> sortedRoots = sorted(roots);
        out.writeInt(sortedRoots.size());
        for (StorePath r : sortedRoots) {
            out.writeUTF(r.fullPath());
        }
        List<StorePath> paths = closure.paths();
        Map<StorePath, Integer> index = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            index.put(paths.get(i), i);
        }
        out.writeInt(paths.size());
        for (StorePath p : paths) {
            PathInfo info = closure.info(p);
            Identity id = Identity.of(p);
            if (id == null) {
                return null;
            }
            out.writeUTF(p.fullPath());
            out.writeLong(info.narSize());
            out.writeUTF(info.narHash());
            out.writeUTF(info.deriver() == null ? "" : info.deriver().fullPath());
            out.writeLong(id.device());
            out.writeLong(id.inode());
            out.writeLong(id.ctimeSeconds());
            out.writeInt(id.ctimeNanos());
            out.writeInt(info.references().size());
            for (StorePath r : info.references()) {
                out.writeInt(index.get(r));
            }
        }
        out.flush();
        return RecordKey.sealWithin(key, buf.toByteArray(), MAX_BYTES);
    }

    /** The closure, or null when the record is not for these roots or a path is no longer the one recorded. */
    static Closure decode(byte[] bytes, byte[] key, String stamp, Collection<StorePath> roots) throws IOException {
        DataInputStream in = RecordKey.open(key, bytes, MAGIC, VERSION);
        if (in == null || !stamp.equals(in.readUTF())) {
            return null; // another format, or Nix's database changed since
        }
        List<StorePath> sortedRoots = sorted(roots);
        if (in.readInt() != sortedRoots.size()) {
            return null;
        }
        for (StorePath r : sortedRoots) {
            if (!r.fullPath().equals(in.readUTF())) {
                return null;
            }
        }
        int count = in.readInt();
        if (count < 0 || count > in.available() / MIN_PATH_BYTES) {
            return null;
        }
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StorePath p = StorePath.parse(in.readUTF());
            long narSize = in.readLong();
            String narHash = in.readUTF();
            String deriver = in.readUTF();
            Identity recorded = new Identity(in.readLong(), in.readLong(), in.readLong(), in.readInt());
            if (!recorded.equals(Identity.of(p))) {
                return null; // deleted, re-made or changed since: Nix is asked
            }
            int n = in.readInt();
            if (n < 0 || n > count) {
                return null;
            }
            int[] r = new int[n];
            for (int j = 0; j < n; j++) {
                r[j] = in.readInt();
                if (r[j] < 0 || r[j] >= count) {
                    return null;
                }
            }
            rows.add(new Row(p, narSize, narHash, deriver.isEmpty() ? null : StorePath.parse(deriver), r));
        }
        if (in.available() != 0) {
            return null;
        }
        List<PathInfo> infos = new ArrayList<>(count);
        for (Row row : rows) { // references by index: every path is read before any is named
            List<StorePath> references = new ArrayList<>(row.references().length);
            for (int r : row.references()) {
                references.add(rows.get(r).path());
            }
            infos.add(new PathInfo(row.path(), row.narSize(), row.narHash(), references, row.deriver()));
        }
        return new Closure(roots, infos); // one that lacks a root or is not closed throws: not believed
    }

    /** One path as a record holds it, its references as indices into the record's paths. */
    private record Row(StorePath path, long narSize, String narHash, StorePath deriver, int[] references) {}
}
