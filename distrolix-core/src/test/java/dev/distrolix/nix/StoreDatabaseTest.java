package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreDatabase} on databases made here with Nix's schema (no Nix needed). */
class StoreDatabaseTest {
    private static final String HEX_A = "fe965f2e24d6ad5dd2eb5e6d8885f94049be926a15e9c98ef4bf10b999199049";
    private static final String HEX_B = "b39aafcb85c59e87c9dd71273e245489568e5dac7e9578c152f227ee34e16d18";

    @TempDir
    Path dir;
    Path db;

    /** Nix's tables (schema 10) as it creates them, in write-ahead-log mode as Nix opens its database. */
    @BeforeEach
    void makeDatabase() throws Exception {
        db = Files.createDirectories(dir.resolve("state/db")).resolve("db.sqlite");
        Files.writeString(db.resolveSibling("schema"), "10");
        sql("PRAGMA journal_mode = WAL",
                "CREATE TABLE ValidPaths (id integer primary key autoincrement not null, path text unique not null,"
                        + " hash text not null, registrationTime integer not null, deriver text, narSize integer,"
                        + " ultimate integer, sigs text, ca text)",
                "CREATE TABLE Refs (referrer integer not null, reference integer not null,"
                        + " primary key (referrer, reference))",
                "CREATE INDEX IndexReferrer on Refs(referrer)",
                "CREATE INDEX IndexReference on Refs(reference)");
        // app -> lib -> libc, app -> libc, lib -> itself; other stands alone
        path(1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-libc", "sha256:" + HEX_A, 100, null);
        path(2, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-lib", "sha256:" + HEX_B, 200,
                "/nix/store/dddddddddddddddddddddddddddddddd-lib.drv");
        path(3, "cccccccccccccccccccccccccccccccc-app", "sha256:0idhyr8m2wa31xqbskc4svnd21prdbxvarwyxhaspf085wrs5gjn",
                300, "");
        path(4, "ffffffffffffffffffffffffffffffff-other", "sha256:" + HEX_A, 400, null);
        refs(2, 1, 2, 2, 3, 2, 3, 1);
    }

    @Test
    void theClosureIsReadWithWhatNixSaysOfEachPath() throws IOException {
        Closure c = closure(store("cccccccccccccccccccccccccccccccc-app")).orElseThrow();
        assertThat(c.paths()).extracting(StorePath::name).containsExactly("libc", "lib", "app");
        PathInfo lib = c.info(store("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-lib"));
        assertThat(lib.narSize()).isEqualTo(200);
        // hex as path-info prints it: SRI, the same digest
        assertThat(lib.narHash()).isEqualTo("sha256-" + java.util.Base64.getEncoder()
                .encodeToString(java.util.HexFormat.of().parseHex(HEX_B)));
        assertThat(lib.references()).containsExactly(store("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-libc")); // not itself
        assertThat(lib.deriver()).isEqualTo(store("dddddddddddddddddddddddddddddddd-lib.drv"));
        PathInfo app = c.info(store("cccccccccccccccccccccccccccccccc-app"));
        assertThat(app.narHash()).isEqualTo(NixServe.sri("sha256:0idhyr8m2wa31xqbskc4svnd21prdbxvarwyxhaspf085wrs5gjn"));
        assertThat(app.deriver()).isNull();
        assertThat(app.references()).hasSize(2);
        assertThat(closure(store("cccccccccccccccccccccccccccccccc-app"), store("ffffffffffffffffffffffffffffffff-other"))
                .orElseThrow().paths()).hasSize(4);
    }

    @Test
    void whatNixWouldAnswerOtherwiseIsLeftToNix() throws Exception {
        // a root not registered: Nix names it
        assertThat(closure(store("cccccccccccccccccccccccccccccccc-app"), store("jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj-gone")))
                .isEmpty();
        // another store's paths
        try (StoreDatabase d = StoreDatabase.open(db)) {
            assertThat(d.closure(List.of(store("ffffffffffffffffffffffffffffffff-other")), "/other/store")).isEmpty();
        }
        // a reference to no row, a path of no size, a hash Nix does not write
        refs(4, 9);
        assertThat(closure(store("ffffffffffffffffffffffffffffffff-other"))).isEmpty();
        path(5, "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk-nosize", "sha256:" + HEX_A, -1, null);
        assertThat(closure(store("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk-nosize"))).isEmpty();
        path(6, "llllllllllllllllllllllllllllllll-md5", "md5:0123456789abcdef0123456789abcdef", 1, null);
        assertThat(closure(store("llllllllllllllllllllllllllllllll-md5"))).isEmpty();
    }

    @Test
    void readingLeavesTheDatabasesContentAsItWas() throws Exception {
        byte[] before = Files.readAllBytes(db);
        try (StoreDatabase d = StoreDatabase.open(db)) {
            assertThat(d.closure(List.of(store("cccccccccccccccccccccccccccccccc-app")), "/nix/store")).isPresent();
        }
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        // as Nix's last connection does, the log and its index go with the connection (nothing was in the log here, so
        // the file's bytes are the same too)
        assertThat(db.resolveSibling("db.sqlite-wal")).doesNotExist();
        assertThat(db.resolveSibling("db.sqlite-shm")).doesNotExist();
        // and nothing is ever made where there is no database
        Path none = dir.resolve("none/db.sqlite");
        Files.createDirectories(none.getParent());
        assertThatThrownBy(() -> StoreDatabase.open(none)).isInstanceOf(IOException.class);
        assertThat(none).doesNotExist();
    }

    @Test
    void onlyTheLocalStoresDatabaseOfTheSchemaKnownHereOwnedByThisUserIsRead() throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("NIX_STATE_DIR", dir.resolve("state").toString(),
                "NIX_CONF_DIR", dir.toString())); // no nix.conf: this machine's is not read
        assertThat(StoreDatabase.usable(env)).isEqualTo(db);
        for (String local : List.of("", "local", "auto", "daemon")) {
            env.put("NIX_REMOTE", local);
            assertThat(StoreDatabase.usable(env)).as(local).isEqualTo(db);
        }
        for (String other : List.of("ssh://host", "local?root=/x", "unix:///run/nix.sock", "file:///cache")) {
            env.put("NIX_REMOTE", other);
            assertThat(StoreDatabase.usable(env)).as(other).isNull();
        }
        env.remove("NIX_REMOTE");
        Files.writeString(db.resolveSibling("schema"), "11");
        assertThat(StoreDatabase.usable(env)).isNull();
        Files.delete(db.resolveSibling("schema"));
        assertThat(StoreDatabase.usable(env)).isNull();
        Files.writeString(db.resolveSibling("schema"), "10\n");
        assertThat(StoreDatabase.usable(env)).isEqualTo(db);
        env.put("NIX_STATE_DIR", dir.resolve("elsewhere").toString());
        assertThat(StoreDatabase.usable(env)).isNull();
    }

    @Test
    void hexHashesOfEitherCaseAreReadAndOthersRefused() {
        String sri = NixServe.sri("sha256:" + HEX_A);
        assertThat(NixServe.sri("sha256:" + HEX_A.toUpperCase())).isEqualTo(sri);
        assertThatThrownBy(() -> NixServe.sri("sha256:" + HEX_A.substring(1) + "g"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NixServe.sri("sha256:" + HEX_A.substring(1) + "\u0663")) // a digit, not ASCII
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a sha256 hash");
    }

    @Test
    void aDatabaseOfAnotherUserIsNotRead() throws Exception {
        Map<String, String> env = Map.of("NIX_STATE_DIR", dir.resolve("state").toString(), "NIX_CONF_DIR", dir.toString());
        assertThat(StoreDatabase.usable(env)).isEqualTo(db);
        Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (me.equals(0)) { // root can give it away; another user cannot, and then it is theirs already
            Files.setAttribute(db, "unix:uid", 65534);
            assertThat(StoreDatabase.usable(env)).isNull();
        }
    }

    @Test
    void theStoreNixUsesIsReadFromItsSettings() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Map<String, String> env = new HashMap<>(Map.of("NIX_CONF_DIR", conf.toString(), "HOME", dir.toString(),
                "XDG_CONFIG_HOME", dir.resolve("xdg").toString()));
        assertThat(StoreSetting.local(env)).isTrue();
        Files.writeString(conf.resolve("nix.conf"), "sandbox = false\nstore = ssh-ng://builder # remote\n");
        assertThat(StoreSetting.local(env)).isFalse();
        Path user = Files.createDirectories(dir.resolve("xdg/nix")).resolve("nix.conf");
        Files.writeString(user, "store = daemon\n"); // the user's replaces the system's
        assertThat(StoreSetting.local(env)).isTrue();
        env.put("NIX_CONFIG", "store = local?root=/elsewhere");
        assertThat(StoreSetting.local(env)).isFalse();
        env.put("NIX_REMOTE", "local"); // Nix takes the variable over the setting
        assertThat(StoreSetting.local(env)).isTrue();
        env.remove("NIX_REMOTE");
        env.put("NIX_CONFIG", "store = auto");
        assertThat(StoreSetting.local(env)).isTrue();
        Files.writeString(user, "!include /etc/nix/other.conf\n"); // what an included file says is not read here
        env.remove("NIX_CONFIG");
        assertThat(StoreSetting.local(env)).isFalse();
        Files.writeString(user, "!include /etc/nix/other.conf\nstore = auto\n"); // decided again after it
        assertThat(StoreSetting.local(env)).isTrue();
        Files.writeString(conf.resolve("nix.conf"), "store = local\n");
        env.put("NIX_STATE_DIR", dir.resolve("state").toString());
        env.put("NIX_CONFIG", "store = ssh://elsewhere");
        assertThat(StoreDatabase.usable(env)).isNull();
        env.put("NIX_CONFIG", "");
        assertThat(StoreDatabase.usable(env)).isEqualTo(db);
    }

    private Optional<Closure> closure(StorePath... roots) throws IOException {
        try (StoreDatabase d = StoreDatabase.open(db)) {
            return d.closure(List.of(roots), "/nix/store");
        }
    }

    private static StorePath store(String base) {
        return StorePath.fromBaseName("/nix/store", base);
    }

    private void path(long id, String base, String hash, long narSize, String deriver) throws SQLException {
        sql(String.format("INSERT INTO ValidPaths (id, path, hash, registrationTime, deriver, narSize)"
                + " VALUES (%d, '/nix/store/%s', '%s', 0, %s, %s)", id, base, hash,
                deriver == null ? "NULL" : "'" + deriver + "'", narSize < 0 ? "NULL" : Long.toString(narSize)));
    }

    private void refs(long... pairs) throws SQLException {
        for (int i = 0; i < pairs.length; i += 2) {
            sql("INSERT INTO Refs (referrer, reference) VALUES (" + pairs[i] + ", " + pairs[i + 1] + ")");
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }
}
