package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.RecordKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closure records, on a store of this test's own (a folder of store paths and a file as Nix's database): what is
 * stored is given back while the database and every path are as they were, and nothing is given back for other
 * roots, a database changed, a path re-made or gone, a record changed, cut short or written under another key.
 */
class ClosureRecordsTest {
    @TempDir
    Path tmp;
    Path store;
    StorePath app;
    StorePath lib;
    StorePath drv;
    Closure closure;

    @BeforeEach
    void store() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        app = path("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-app-1.0");
        lib = path("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-lib-2.1");
        drv = StorePath.fromBaseName(store.toString(), "cccccccccccccccccccccccccccccccc-app-1.0.drv");
        Files.writeString(tmp.resolve("db.sqlite"), "Nix's database");
        Files.createDirectories(Path.of(app.fullPath(), "bin"));
        Files.writeString(Path.of(lib.fullPath()), "a store path that is a file");
        closure = new Closure(List.of(app), List.of(
                new PathInfo(app, 1234, "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", List.of(lib, app), drv),
                new PathInfo(lib, 56, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", List.of())));
    }

    StorePath path(String baseName) {
        return StorePath.fromBaseName(store.toString(), baseName);
    }

    ClosureRecords records(String key) {
        return ClosureRecords.in(tmp.resolve("closures"), RecordKey.in(tmp.resolve(key)), tmp.resolve("db.sqlite"));
    }

    Path recordFile() throws IOException {
        try (var s = Files.list(tmp.resolve("closures"))) {
            return s.filter(f -> !f.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
    }

    @Test
    void whatIsStoredComesBackWhilePathsAreTheSame() {
        ClosureRecords r = records("key");
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
        r.store(List.of(app), closure, r.stamp());
        Closure back = records("key").load(List.of(app), r.stamp()).orElseThrow();
        assertThat(back.roots()).containsExactly(app);
        assertThat(back.paths()).isEqualTo(closure.paths());
        for (StorePath p : closure.paths()) {
            assertThat(back.info(p)).isEqualTo(closure.info(p)); // size, hash as Nix printed it, references, deriver
        }
        assertThat(r.load(List.of(lib), r.stamp())).as("other roots").isEmpty();
        assertThat(r.load(List.of(app, lib), r.stamp())).as("other roots").isEmpty();
    }

    @Test
    void aChangeToNixsDatabaseIsAMiss() throws Exception {
        ClosureRecords r = records("key");
        String before = r.stamp();
        assertThat(before).isNotNull();
        r.store(List.of(app), closure, before);
        assertThat(r.load(List.of(app), r.stamp())).isPresent();
        // a reader (a spare evaluation waiting) makes an empty log, and the last one out removes it: no change
        Files.writeString(tmp.resolve("db.sqlite-wal"), "");
        assertThat(r.stamp()).isEqualTo(before);
        assertThat(r.load(List.of(app), r.stamp())).isPresent();
        Files.delete(tmp.resolve("db.sqlite-wal"));
        // a registration or a garbage collection writes the write-ahead log, then the database
        Files.writeString(tmp.resolve("db.sqlite-wal"), "a registration");
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
        r.store(List.of(app), closure, r.stamp());
        assertThat(r.load(List.of(app), r.stamp())).isPresent();
        Files.delete(tmp.resolve("db.sqlite-wal"));
        Files.writeString(tmp.resolve("db.sqlite"), "Nix's database, checkpointed");
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
        // a closure asked while the database changed is recorded under the state read before: a miss next time
        r.store(List.of(app), closure, before);
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
        // without a database to read, nothing is recorded or believed
        r.store(List.of(app), closure, r.stamp());
        Files.delete(tmp.resolve("db.sqlite"));
        assertThat(r.stamp()).isNull();
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
    }

    @Test
    void aPathMadeAgainOrGoneIsAMiss() throws Exception {
        ClosureRecords r = records("key");
        r.store(List.of(app), closure, r.stamp());
        // the same path deleted and made again (as after a garbage collection and a rebuild): another inode or
        // change time (the kernel's clock for these ticks every few ms)
        Thread.sleep(20);
        Files.delete(Path.of(lib.fullPath()));
        Files.writeString(Path.of(lib.fullPath()), "a store path that is a file");
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
        assertThat(tmp.resolve("closures")).isEmptyDirectory(); // removed: the next query writes it again

        r.store(List.of(app), closure, r.stamp());
        assertThat(r.load(List.of(app), r.stamp())).isPresent();
        Files.delete(Path.of(lib.fullPath()));
        assertThat(r.load(List.of(app), r.stamp())).isEmpty();
        // a closure with a path that is not there is not recorded at all
        r.store(List.of(app), closure, r.stamp());
        assertThat(tmp.resolve("closures")).isEmptyDirectory();
    }

    @Test
    void inALargeClosureAChangeToAnyOnePathIsAMiss() throws Exception {
        // the first, a middle and the last of 1,500 paths changed (chmod: a new change time) each make it a miss
        int n = 1500;
        List<StorePath> paths = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            StorePath p = path(String.format("%032d", i) + "-p" + i);
            Files.writeString(Path.of(p.fullPath()), "path " + i);
            paths.add(p);
        }
        List<PathInfo> infos = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            infos.add(new PathInfo(paths.get(i), i, "sha256-x", i + 1 < n ? List.of(paths.get(i + 1)) : List.of()));
        }
        Closure big = new Closure(List.of(paths.get(0)), infos);
        ClosureRecords r = records("key");
        for (int changed : new int[] {0, n / 2, n - 1}) {
            r.store(List.of(paths.get(0)), big, r.stamp());
            assertThat(r.load(List.of(paths.get(0)), r.stamp())).as("before %d changed", changed).isPresent();
            Thread.sleep(20);
            Path f = Path.of(paths.get(changed).fullPath());
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
            assertThat(r.load(List.of(paths.get(0)), r.stamp())).as("path %d changed", changed).isEmpty();
        }
    }

    @Test
    void aChangedShortOrForeignRecordIsNotBelieved() throws IOException {
        ClosureRecords r = records("key");
        r.store(List.of(app), closure, r.stamp());
        Path file = recordFile();
        byte[] good = Files.readAllBytes(file);
        for (int at : new int[] {0, 40, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 1;
            Files.write(file, bad);
            assertThat(r.load(List.of(app), r.stamp())).as("byte %d changed", at).isEmpty();
            assertThat(file).doesNotExist();
        }
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 33));
        assertThat(r.load(List.of(app), r.stamp())).as("cut short").isEmpty();
        Files.write(file, good);
        assertThat(records("another-key").load(List.of(app), records("another-key").stamp())).as("under another key").isEmpty();
        Files.write(file, good);
        assertThat(r.load(List.of(app), r.stamp())).isPresent();
    }

    @Test
    void aRecordThatClaimsMorePathsThanItHoldsIsRefusedWithoutAllocatingThem() throws IOException {
        // a well-signed record (the key is ours) whose count says two billion: read as a miss, not an OutOfMemoryError
        byte[] key = RecordKey.in(tmp.resolve("key")).bytes();
        var buf = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(buf);
        out.writeUTF("distrolix-closure-record");
        out.writeInt(1);
        out.writeUTF("stamp");
        out.writeInt(1);
        out.writeUTF(app.fullPath());
        out.writeInt(Integer.MAX_VALUE);
        assertThat(ClosureRecords.decode(RecordKey.seal(key, buf.toByteArray()), key, "stamp", List.of(app))).isNull();
    }

    @Test
    void noKeyNoRecords() throws IOException {
        Files.writeString(tmp.resolve("short-key"), "not 32 bytes");
        ClosureRecords r = records("short-key");
        r.store(List.of(app), closure, r.stamp());
        assertThat(tmp.resolve("closures")).doesNotExist();
        assertThat(r.load(List.of(app), r.stamp())).isEqualTo(Optional.empty());
    }
}
