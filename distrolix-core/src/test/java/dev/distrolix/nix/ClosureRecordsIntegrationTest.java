package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.RecordKey;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closure records against the real Nix and its store: a closure recorded once is answered where no Nix program
 * could run, and no longer once a path in it was deleted (Nix's database changed), nor after it was built again.
 */
@IntegrationTest
class ClosureRecordsIntegrationTest {
    @TempDir
    Path dir;
    /** The test package set, in {@link #dir}. */
    Path set;
    NixCli nix;

    @BeforeEach
    void packageSet() throws IOException {
        set = TestNix.packageSet(dir);
        nix = TestNix.cli().workingDirectory(dir).build();
    }

    @Test
    void aRecordedClosureIsAnsweredWithoutNixUntilTheStoreChanges() throws Exception {
        // a package of this test's own (its tag is new), so that deleting it disturbs no other test
        Map<String, String> tag = Map.of("tag", UUID.randomUUID().toString());
        PackageRef top = PackageRef.parse("top", Optional.of(set));
        StorePath root = nix.resolve(top, List.of(), tag).get(0);

        ClosureRecords records = ClosureRecords.in(dir.resolve("closures"), RecordKey.in(dir.resolve("key")));
        NixCli recording = nix.withClosureRecords(records);
        Path empty = Files.createDirectories(dir.resolve("no-nix"));
        NixCli noNix = TestNix.cli().binDir(empty).build().withClosureRecords(records);
        assertThatThrownBy(() -> noNix.queryClosure(List.of(root))).as("nothing recorded yet")
                .isInstanceOf(NixNotFoundException.class);

        Closure asked = recording.queryClosure(List.of(root));
        // Nix's own commands: the records' answer is theirs
        Closure fromNix = TestNix.cli().workingDirectory(dir).readStoreDatabase(false).build().queryClosure(List.of(root));
        Closure answered = noNix.queryClosure(List.of(root)); // no Nix program can run: the record answers
        assertThat(answered.paths()).isEqualTo(fromNix.paths()).isEqualTo(asked.paths()).hasSize(3);
        for (StorePath p : fromNix.paths()) {
            assertThat(answered.info(p)).isEqualTo(fromNix.info(p));
        }

        // deleted (not a GC root: nix-build --no-out-link): Nix's database changed, the record is not believed
        Process delete = new ProcessBuilder(nix.locate("nix-store"), "--delete", root.fullPath())
                .redirectErrorStream(true).start();
        String out = new String(delete.getInputStream().readAllBytes());
        assertThat(delete.waitFor()).as(out).isZero();
        assertThat(Path.of(root.fullPath())).doesNotExist();
        assertThatThrownBy(() -> noNix.queryClosure(List.of(root))).isInstanceOf(NixNotFoundException.class);
        assertThatThrownBy(() -> recording.queryClosure(List.of(root))).isInstanceOf(NixInputException.class)
                .hasMessage("store path " + root + " does not exist (or is not valid)");

        // built again: asked of Nix once, then answered from the new record
        assertThat(nix.resolve(top, List.of(), tag)).containsExactly(root);
        assertThat(recording.queryClosure(List.of(root)).paths()).isEqualTo(fromNix.paths());
        assertThat(noNix.queryClosure(List.of(root)).paths()).isEqualTo(fromNix.paths());
    }

    /**
     * A closure asked through a query started before its roots (a {@code nix-store --serve} process, which keeps Nix's
     * database log open while it runs; or a connection of this JVM's to that database, where it is read directly) is
     * recorded under the database as it is once that process or connection has ended: the next build, with no Nix
     * program to run, is answered from the record; and neither leaves a log behind.
     */
    @Test
    void aClosureAskedThroughAPreparedQueryIsRecordedAsTheNextBuildSeesTheDatabase() throws Exception {
        for (boolean database : List.of(false, true)) {
            StorePath root = nix.resolve(PackageRef.parse("top", Optional.of(set)), List.of(),
                    Map.of("tag", UUID.randomUUID().toString())).get(0);
            ClosureRecords records = ClosureRecords.in(dir.resolve("closures-" + database),
                    RecordKey.in(dir.resolve("key")));
            assertThat(records.isEmpty()).isTrue();
            String before = records.stamp();
            NixCli recording = TestNix.cli().workingDirectory(dir).readStoreDatabase(database).build()
                    .withClosureRecords(records);
            Closure asked;
            try (NixCli.PreparedQuery q = recording.prepareClosureQuery()) {
                if (!database) {
                    // as while a build evaluates: the process has opened Nix's database (its log is there) before it
                    // is asked
                    Path log = ClosureRecords.nixDatabase().resolveSibling("db.sqlite-wal");
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (!Files.exists(log) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertThat(log).as("nix-store --serve has Nix's database open").exists();
                }
                asked = recording.queryClosure(List.of(root));
            }
            assertThat(records.isEmpty()).isFalse();
            assertThat(records.stamp()).as("Nix's database once the query has ended (database read: %s)", database)
                    .isEqualTo(before);
            NixCli noNix = TestNix.cli().binDir(Files.createDirectories(dir.resolve("no-nix"))).build()
                    .withClosureRecords(records);
            assertThat(noNix.queryClosure(List.of(root)).paths()).isEqualTo(asked.paths()).hasSize(3);
        }
    }
}
