package dev.distrolix.nix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nix's own database of the local store ({@code $NIX_STATE_DIR/db/db.sqlite}), read directly for a closure: one
 * recursive query answers what Nix's query takes a process and ~50 µs a path for (3,001 paths: ~10 ms against
 * 0.15 s), and the connection opens while the evaluation that names the roots still runs.
 *
 * <p>Read as Nix's own processes read it: SQLite with its write-ahead log, the two queries in one read transaction
 * (a consistent snapshot while Nix registers paths), writes refused ({@code query_only}). Opened read-write as Nix
 * opens it, so that the last connection to close removes the log as Nix's do; hence only where this process's user
 * owns the database (a single-user install, or root): files SQLite makes beside it for another user could lock that
 * user's Nix out of its own database.
 *
 * <p>Used only where the answer is the one Nix would give: the local store ({@code NIX_REMOTE} unset, {@code local},
 * {@code auto} or {@code daemon}), the schema Nix 2 writes ({@value #SCHEMA}), every root registered, every reference
 * resolved, every hash one Nix writes. Otherwise {@link #closure} answers nothing and Nix is asked (whose words then
 * name an invalid root).
 */
final class StoreDatabase implements AutoCloseable {
    /** The schema version of Nix 2's database ({@code db/schema}), the one whose tables are read here. */
    static final String SCHEMA = "10";
    /** Roots as SQL parameters: far below SQLite's limit (32,766); a build names a few. */
    private static final int MAX_ROOTS = 1_000;
    private static final String CLOSURE_IDS = "WITH RECURSIVE closure(id) AS (SELECT id FROM ValidPaths WHERE path IN (%s)"
            + " UNION SELECT Refs.reference FROM Refs JOIN closure ON Refs.referrer = closure.id) ";

    private final Connection connection;

    private StoreDatabase(Connection connection) {
        this.connection = connection;
    }

    /**
     * The database Nix uses for the local store under {@code env} (the environment Nix runs with), or null where it is
     * not to be read here: another store, a schema or owner that does not fit, no such file.
     */
    static Path usable(Map<String, String> env) {
        String remote = env.getOrDefault("NIX_REMOTE", "");
        if (!Set.of("", "local", "auto", "daemon").contains(remote)) {
            return null;
        }
        String state = env.getOrDefault("NIX_STATE_DIR", "");
        Path db = Path.of(state.isEmpty() ? "/nix/var/nix" : state, "db", "db.sqlite");
        try {
            String schema = new String(dev.distrolix.SmallFiles.read(db.resolveSibling("schema"), 64, "Nix's schema"),
                    java.nio.charset.StandardCharsets.US_ASCII).strip();
            if (!schema.equals(SCHEMA) || !Files.isRegularFile(db, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return me.equals(Files.getAttribute(db, "unix:uid", LinkOption.NOFOLLOW_LINKS)) ? db : null;
        } catch (IOException | RuntimeException unknown) {
            return null;
        }
    }

    /**
     * Opens {@code db} (loading SQLite's library the first time).
     *
     * @throws IOException where it cannot: no library for this platform, a database SQLite cannot open
     */
    static StoreDatabase open(Path db) throws IOException {
        try {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.resetOpenMode(org.sqlite.SQLiteOpenMode.CREATE); // never make an empty database where none is
            config.setBusyTimeout(2_000);
            Connection c = config.createConnection("jdbc:sqlite:" + db);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = 1");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new StoreDatabase(c);
        } catch (SQLException | RuntimeException | LinkageError e) {
            throw new IOException(db + ": " + e.getMessage(), e);
        }
    }

    /**
     * The closure of {@code roots} with each path's NAR size and hash (in the form {@code nix path-info} prints it),
     * references and deriver; empty where this database cannot say what Nix would (a root not registered in it,
     * a reference that names no row, a hash or path of a form Nix does not write here).
     *
     * @throws IOException where SQLite fails (a busy or damaged database)
     */
    Optional<Closure> closure(Collection<StorePath> roots, String storeDir) throws IOException {
        if (roots.isEmpty() || roots.size() > MAX_ROOTS) {
            return Optional.empty();
        }
        String ids = String.format(CLOSURE_IDS, String.join(",", java.util.Collections.nCopies(roots.size(), "?")));
        try {
            connection.setAutoCommit(false); // both queries in one read transaction: one snapshot of the store
            try {
                Map<Long, Row> rows = new HashMap<>();
                // each path with its references' ids as one text (a second query over the closure would walk it again)
                try (PreparedStatement q = connection.prepareStatement(ids + "SELECT v.id, v.path, v.hash, v.narSize,"
                        + " v.deriver, (SELECT group_concat(reference, ' ') FROM Refs WHERE referrer = v.id)"
                        + " FROM closure JOIN ValidPaths v ON v.id = closure.id")) {
                    bind(q, roots);
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            long narSize = r.getLong(4);
                            if (r.wasNull()) {
                                return Optional.empty();
                            }
                            rows.put(r.getLong(1), new Row(r.getString(2), r.getString(3), narSize, r.getString(5),
                                    r.getString(6)));
                        }
                    }
                }
                return closure(roots, storeDir, rows);
            } finally {
                connection.rollback(); // ends the read transaction: nothing was written
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement q, Collection<StorePath> roots) throws SQLException {
        int i = 1;
        for (StorePath r : roots) {
            q.setString(i++, r.fullPath());
        }
    }

    /** One ValidPaths row of the closure; {@code references}: its references' ids, space-separated (null: none). */
    record Row(String path, String hash, long narSize, String deriver, String references) {}

    /** The closure the rows make, or empty where they are not what Nix would answer. */
    static Optional<Closure> closure(Collection<StorePath> roots, String storeDir, Map<Long, Row> rows) {
        Map<Long, StorePath> paths = new HashMap<>();
        try {
            for (Map.Entry<Long, Row> e : rows.entrySet()) {
                StorePath p = StorePath.parse(e.getValue().path());
                if (!p.storeDir().equals(storeDir)) {
                    return Optional.empty();
                }
                paths.put(e.getKey(), p);
            }
            if (!paths.values().containsAll(roots)) {
                return Optional.empty(); // a root not registered: Nix says so in its own words
            }
            List<PathInfo> infos = new ArrayList<>(rows.size());
            for (Map.Entry<Long, Row> e : rows.entrySet()) {
                Row row = e.getValue();
                List<StorePath> references = new ArrayList<>();
                if (row.references() != null) {
                    for (String id : row.references().split(" ")) {
                        StorePath ref = paths.get(Long.parseLong(id));
                        if (ref == null) {
                            return Optional.empty();
                        }
                        references.add(ref);
                    }
                }
                infos.add(new PathInfo(paths.get(e.getKey()), row.narSize(), sri(row.hash()), references,
                        PathInfoJson.deriver(row.deriver(), storeDir)));
            }
            return Optional.of(new Closure(roots, infos));
        } catch (IllegalArgumentException notNixs) {
            return Optional.empty();
        }
    }

    /**
     * A database being opened on a thread of its own while the evaluation that names the roots runs (loading SQLite's
     * library takes a fresh JVM ~0.1 s); closed, it waits for that thread and closes what it opened.
     */
    static final class Opening implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicReference<StoreDatabase> opened =
                new java.util.concurrent.atomic.AtomicReference<>();
        private final dev.distrolix.Background<StoreDatabase> task;

        private Opening(Path db) {
            task = dev.distrolix.Background.start("nix-database", () -> {
                StoreDatabase d = open(db);
                opened.set(d);
                return d;
            });
        }

        static Opening start(Path db) {
            return new Opening(db);
        }

        /** {@link StoreDatabase#closure}, empty also where the database could not be opened or read. */
        Optional<Closure> closure(Collection<StorePath> roots, String storeDir) {
            try {
                return task.join().closure(roots, storeDir);
            } catch (IOException | RuntimeException cannot) {
                return Optional.empty(); // Nix is asked instead
            }
        }

        @Override
        public void close() {
            task.cancel(); // waits for the thread to end
            StoreDatabase d = opened.getAndSet(null);
            if (d != null) {
                d.close();
            }
        }
    }

    /**
     * A hash as the database holds it ({@code sha256:} and hex since Nix 2.0, Nix32 before) in the form path-info
     * prints ({@code sha256-} and base64); hex without a regular expression (3,001 of them a build).
     */
    static String sri(String hash) {
        if (hash.length() == 71 && hash.startsWith("sha256:")) {
            try {
                byte[] digest = java.util.HexFormat.of().parseHex(hash, 7, 71);
                return "sha256-" + java.util.Base64.getEncoder().encodeToString(digest);
            } catch (IllegalArgumentException notHex) {
                // left to the general rule, which names what is wrong
            }
        }
        return NixServe.sri(hash);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a read-only connection: nothing of ours is lost
        }
    }
}
