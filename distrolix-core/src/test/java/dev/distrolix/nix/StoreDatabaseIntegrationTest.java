package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closures read from the real Nix's database ({@link StoreDatabase}) against what Nix's own commands say. */
@IntegrationTest
class StoreDatabaseIntegrationTest {
    private static final Path DB = ClosureRecords.nixDatabase();

    @TempDir
    static Path dir;
    static Path set;
    static NixCli nix;
    static NixCli commandsOnly;

    @BeforeAll
    static void setUp() throws IOException {
        set = TestNix.packageSet(dir);
        nix = TestNix.cli().workingDirectory(dir).build();
        commandsOnly = TestNix.cli().workingDirectory(dir).readStoreDatabase(false).build();
        nix.resolve(PackageRef.parse("top", Optional.of(set))); // built, so that the store holds a closure of ours
    }

    /** The test machines' Nix is a single-user install run as its owner (root in CI): its database is read. */
    @Test
    void thisMachinesDatabaseIsReadHere() {
        assertThat(StoreDatabase.usable(System.getenv())).as("run the tests as the owner of " + DB).isEqualTo(DB);
        assertThat(StoreDatabase.usable(java.util.Map.of("NIX_REMOTE", "ssh://elsewhere"))).isNull();
        assertThat(StoreDatabase.usable(java.util.Map.of("NIX_REMOTE", "local?root=/tmp/x"))).isNull();
    }

    /** Random sets of this store's valid paths as roots: the same closure, path for path, as path-info's. */
    @Test
    void closuresOfThisStoreAreWhatPathInfoSays() throws IOException {
        List<StorePath> all = validPaths();
        assertThat(all).hasSizeGreaterThan(50);
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int n : List.of(1, 1, 2, 5, 40)) {
            List<StorePath> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, random);
            List<StorePath> roots = shuffled.subList(0, n);
            Closure fromDb;
            try (StoreDatabase db = StoreDatabase.open(DB)) {
                fromDb = db.closure(roots, StorePath.DEFAULT_STORE_DIR)
                        .orElseThrow(() -> new AssertionError("seed " + seed + ": no answer for " + roots));
            }
            Closure fromNix = commandsOnly.queryClosure(roots);
            assertThat(fromDb.roots()).as("seed %d", seed).isEqualTo(fromNix.roots());
            assertThat(fromDb.paths()).as("seed %d", seed).isEqualTo(fromNix.paths());
            for (StorePath p : fromNix.paths()) {
                assertThat(fromDb.info(p)).as("seed %d: %s", seed, p).isEqualTo(fromNix.info(p));
            }
        }
    }

    @Test
    void aBuildsQueryReadsTheDatabaseAndRunsNoNix() throws IOException {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        // Nix's commands, each leaving a mark where it runs
        Path bin = Files.createDirectories(dir.resolve("marking"));
        Path marks = dir.resolve("marks");
        for (String tool : List.of("nix", "nix-store")) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho " + tool + " >> " + marks + "\nexec " + nix.locate(tool)
                    + " \"$@\"\n");
            script.toFile().setExecutable(true);
        }
        NixCli marking = TestNix.cli().workingDirectory(dir).binDir(bin).build();
        boolean logBefore = Files.exists(DB.resolveSibling("db.sqlite-wal"));
        Closure c;
        try (NixCli.PreparedQuery q = marking.prepareClosureQuery()) {
            c = marking.queryClosure(List.of(top));
        }
        assertThat(c.info(top).references()).extracting(StorePath::name).containsExactlyInAnyOrder("itest-mid", "itest-leaf");
        assertThat(c.info(top)).isEqualTo(commandsOnly.queryClosure(List.of(top)).info(top));
        assertThat(marks).doesNotExist();
        assertThat(marking.queryClosure(List.of(top)).paths()).isEqualTo(c.paths()); // unprepared too
        assertThat(marks).doesNotExist();
        if (!logBefore) {
            // closed as Nix closes it: the last connection removes the write-ahead log and its index
            assertThat(DB.resolveSibling("db.sqlite-wal")).doesNotExist();
            assertThat(DB.resolveSibling("db.sqlite-shm")).doesNotExist();
        }

        // a root the database does not hold: Nix is asked, and says so in its words
        StorePath missing = StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-missing");
        assertThatThrownBy(() -> marking.queryClosure(List.of(top, missing)))
                .isInstanceOf(NixInputException.class)
                .hasMessage("store path " + missing + " does not exist (or is not valid)");
        assertThat(Files.readAllLines(marks)).contains("nix");
    }

    @Test
    void withoutNixStoreTheDatabaseIsNotRead() throws IOException {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        NixCli noNix = TestNix.cli().binDir(Files.createDirectories(dir.resolve("no-nix"))).build();
        assertThatThrownBy(() -> noNix.queryClosure(List.of(top))).isInstanceOf(NixNotFoundException.class);
    }

    private static List<StorePath> validPaths() throws IOException {
        String json = new String(new ProcessBuilder(nix.locate("nix"), "path-info", "--all", "--json",
                "--extra-experimental-features", "nix-command").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode root = new ObjectMapper().readTree(json);
        List<StorePath> paths = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(e -> paths.add(StorePath.parse(e.get("path").asText())));
        } else {
            root.fieldNames().forEachRemaining(p -> paths.add(StorePath.parse(p)));
        }
        // path-info takes a derivation file named to it for the outputs to build; a build's roots are outputs
        paths.removeIf(p -> p.name().endsWith(".drv"));
        return paths;
    }

    private static StorePath only(List<StorePath> paths) {
        assertThat(paths).hasSize(1);
        return paths.get(0);
    }
}
