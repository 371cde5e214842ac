package dev.distrolix.nix;

import dev.distrolix.Background;
import dev.distrolix.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Nix's own database of the local store ({@code $NIX_STATE_DIR/db/db.sqlite}), read directly for a closure: one
 * recursive query answers what Nix's query takes a process and ~50 µs a path for (3,001 paths: ~10 ms against
 * 0.15 s), and the connection opens while the evaluation that names the roots still runs.
 *
 * <p>Read as Nix's own processes read it: SQLite with its write-ahead log, one statement (one consistent snapshot
 * while Nix registers paths), no change made ({@code query_only}). Opened read-write as Nix opens it, so that the
 * last connection to close takes the log away as Nix's do (checkpointing it into the database first, as theirs do; a
 * read-only connection would leave it behind); hence only where this process's user owns the database (a single-user
 * install, or root): files SQLite makes beside it for another user could lock that user's Nix out of its database.
 *
 * <p>Used only where the answer is the one Nix would give: the local store ({@link StoreSetting}), the schema Nix 2
 * writes ({@value #SCHEMA}), every root registered, every reference resolved, every hash one Nix writes. Otherwise
 * {@link #closure} answers nothing and Nix is asked (whose words then name an invalid root).
 */
final class StoreDatabase implements AutoCloseable {
    /** The schema version of Nix 2's database ({@code db/schema}), the one whose tables are read here. */
    static final String SCHEMA = "10";
    /** Roots as SQL parameters: far below SQLite's limit (32,766); a build names a few. */
    private static final int MAX_ROOTS = 1_000;
    /** Each path with its references' ids as one text: a second statement over the closure would walk it again. */
    private static final String CLOSURE = "WITH RECURSIVE closure(id) AS (SELECT id FROM ValidPaths WHERE path IN (%s)"
            + " UNION SELECT Refs.reference FROM Refs JOIN closure ON Refs.referrer = closure.id)"
            + " SELECT v.id, v.path, v.hash, v.narSize, v.deriver,"
            + " (SELECT group_concat(reference, ' ') FROM Refs WHERE referrer = v.id)"
            + " FROM closure JOIN ValidPaths v ON v.id = closure.id";
    /**
     * The driver's logger, silenced (held here: java.util.logging keeps loggers weakly): where its library cannot be
     * loaded or a temp folder is missing it logs stack traces to stderr, and Nix is asked instead all the same.
     */
    private static final Logger DRIVER_LOG = silenced();

    private final Connection connection;
    private final Path file;

    private StoreDatabase(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    private static Logger silenced() {
        Logger log = Logger.getLogger("org.sqlite");
        log.setLevel(Level.OFF);
        return log;
    }

    /**
     * The database Nix uses for the local store under {@code env} (the environment Nix runs with), or null where it is
     * not to be read here: another store, a schema or owner that does not fit, no such file.
     */
    static Path usable(Map<String, String> env) {
        if (!StoreSetting.local(env)) {
            return null;
        }
        Path db = ClosureRecords.nixDatabase(env);
        try {
            String schema = new String(SmallFiles.read(db.resolveSibling("schema"), 64, "Nix's schema"),
                    StandardCharsets.US_ASCII).strip();
            if (!schema.equals(SCHEMA) || !Files.isRegularFile(db, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            // /proc/self is this process's, owned by its user
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
            SQLiteConfig config = new SQLiteConfig();
            config.resetOpenMode(SQLiteOpenMode.CREATE); // never make an empty database where none is
            config.setBusyTimeout(2_000);
            Connection c = config.createConnection("jdbc:sqlite:" + db);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = 1");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new StoreDatabase(c, db);
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
        Map<Long, Row> rows = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement(
                String.format(CLOSURE, String.join(",", Collections.nCopies(roots.size(), "?"))))) {
            int i = 1;
            for (StorePath r : roots) {
                q.setString(i++, r.fullPath());
            }
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
        } catch (SQLException | RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return closure(roots, storeDir, rows);
    }

    /**
     * {@link #closure(Collection, String)} of {@code db}, opened here and closed after; empty also where it cannot be
     * opened or read (Nix is asked instead).
     */
    static Optional<Closure> closure(Path db, Collection<StorePath> roots, String storeDir) {
        try (StoreDatabase d = open(db)) {
            return d.closure(roots, storeDir);
        } catch (IOException | RuntimeException cannot) {
            return Optional.empty();
        }
    }

    /** One ValidPaths row of the closure; {@code references}: its references' ids, space-separated (null: none). */
    record Row(String path, String hash, long narSize, String deriver, String references) {}

    /** The closure {@code rows} make, or empty where they are not what Nix would answer. */
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
                infos.add(new PathInfo(paths.get(e.getKey()), row.narSize(), NixServe.sri(row.hash()), references,
                        PathInfoJson.deriver(row.deriver(), storeDir)));
            }
            return Optional.of(new Closure(roots, infos));
        } catch (IllegalArgumentException | NullPointerException notNixs) {
            return Optional.empty(); // a path or hash of no form Nix writes, or none
        }
    }

    /**
     * A database being opened on a thread of its own while the evaluation that names the roots runs (loading SQLite's
     * library takes a fresh JVM ~0.1 s); closed, it waits for that thread and closes what it opened, also what the
     * thread opens after the wait gave up.
     */
    static final class Opening implements AutoCloseable {
        private final AtomicReference<StoreDatabase> opened = new AtomicReference<>();
        private volatile boolean closed;
        private final Background<StoreDatabase> task;
        private final Path file;

        private Opening(Path db) {
            file = db;
            task = Background.start("distrolix-nix-database", () -> {
                StoreDatabase d = open(db);
                opened.set(d);
                if (closed) { // closed while this opened it, past the close's wait: nobody else will
                    StoreDatabase mine = opened.getAndSet(null);
                    if (mine != null) {
                        mine.close();
                    }
                }
                return d;
            });
        }

        static Opening start(Path db) {
            return new Opening(db);
        }

        /** The database being opened. */
        Path file() {
            return file;
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
            closed = true;
            task.cancel(); // waits for the thread to end (up to 10 s)
            StoreDatabase d = opened.getAndSet(null);
            if (d != null) {
                d.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a query-only connection: nothing of ours is lost
        }
    }
}
