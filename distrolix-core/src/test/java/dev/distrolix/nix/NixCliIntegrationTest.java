package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the Nix installed on this machine; every expression is written by the test itself. */
@IntegrationTest
class NixCliIntegrationTest {
    /** A tiny package set: plain builtins.derivation with /bin/sh (sandbox=false), no nixpkgs needed. */
    static final String PACKAGE_SET = """
            { tag ? "a" }:
            let
              mk = name: deps: builtins.derivation {
                inherit name deps;
                system = builtins.currentSystem;
                builder = "/bin/sh";
                args = [ "-c" "echo ${name} ${tag} > $out; for d in $deps; do echo $d >> $out; done" ];
              };
            in rec {
              leaf = mk "itest-leaf" [];
              mid = mk "itest-mid" [ leaf ];
              top = mk "itest-top" [ mid leaf ];
              multi = builtins.derivation {
                name = "itest-multi"; system = builtins.currentSystem; builder = "/bin/sh";
                outputs = [ "out" "dev" ];
                args = [ "-c" "echo ${leaf} > $out; echo dev > $dev" ];
              };
              both = [ leaf mid ];
              broken = builtins.derivation {
                name = "itest-broken"; system = builtins.currentSystem; builder = "/bin/sh";
                args = [ "-c" "echo boom >&2; exit 3" ];
              };
            }
            """;

    @TempDir
    static Path dir;
    static Path set;
    static NixCli nix;
    /** Nix's commands alone, never its database read directly ({@link StoreDatabase}). */
    static NixCli commandsOnly;

    @BeforeAll
    static void setUp() throws IOException {
        set = TestNix.packageSet(dir);
        nix = TestNix.cli().workingDirectory(dir).build();
        commandsOnly = TestNix.cli().workingDirectory(dir).readStoreDatabase(false).build();
    }

    @Test
    void storePathThatExists() {
        StorePath leaf = only(nix.resolve(new PackageRef.Attribute(Optional.of(set), "leaf")));
        assertThat(nix.resolve(PackageRef.parse(leaf.fullPath(), Optional.empty()))).containsExactly(leaf);
    }

    @Test
    void storePathThatDoesNotExist() {
        String missing = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-missing";
        assertThatThrownBy(() -> nix.resolve(PackageRef.parse(missing, Optional.empty())))
                .isInstanceOf(NixInputException.class)
                .hasMessage("store path " + missing + " does not exist (or is not valid)");
    }

    @Test
    void attributeThatExists() {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        assertThat(top.name()).isEqualTo("itest-top");
        assertThat(top.storeDir()).isEqualTo("/nix/store");
    }

    @Test
    void attributeThatDoesNotExist() {
        assertThatThrownBy(() -> nix.resolve(PackageRef.parse("nope", Optional.of(set))))
                .isInstanceOf(NixInputException.class)
                .hasMessageStartingWith("attribute 'nope' not found in " + set)
                .hasMessageNotContaining("\n");
    }

    @Test
    void fileWithAttribute() {
        StorePath mid = only(nix.resolve(PackageRef.parse("pkgs/default.nix#mid", Optional.empty())));
        assertThat(mid.name()).isEqualTo("itest-mid");
        assertThatThrownBy(() -> nix.resolve(PackageRef.parse("pkgs/default.nix#mid.nope", Optional.empty())))
                .hasMessageStartingWith("attribute 'mid.nope' not found in " + set.resolve("default.nix"));
        assertThatThrownBy(() -> nix.resolve(PackageRef.parse("absent.nix#x", Optional.empty())))
                .hasMessage("Nix file " + dir.resolve("absent.nix") + " does not exist");
    }

    @Test
    void evaluationSaysTheOutPathABuildPrintsWithoutBuilding() {
        PackageRef top = new PackageRef.Attribute(Optional.of(set), "top");
        Map<String, String> fresh = Map.of("tag", UUID.randomUUID().toString()); // a derivation never built
        StorePath evaluated = nix.evaluatedOutPath(top, List.of(), fresh).orElseThrow();
        assertThat(Files.exists(Path.of(evaluated.fullPath()))).isFalse();
        assertThat(nix.resolve(top, List.of(), fresh)).containsExactly(evaluated);
        // a file and an attribute in it, an output other than out, a package set from the search path
        PackageRef mid = PackageRef.parse("pkgs/default.nix#mid", Optional.empty());
        assertThat(nix.evaluatedOutPath(mid, List.of(), Map.of())).contains(only(nix.resolve(mid)));
        PackageRef dev = PackageRef.parse("multi.dev", Optional.of(set));
        assertThat(nix.evaluatedOutPath(dev, List.of(), Map.of())).contains(only(nix.resolve(dev)));
        NixCli noNixpkgs = TestNix.cli().nixPath("").build();
        PackageRef leaf = PackageRef.parse("leaf", Optional.empty());
        assertThat(noNixpkgs.evaluatedOutPath(leaf, List.of("nixpkgs=" + set), Map.of()))
                .contains(only(noNixpkgs.resolve(leaf, List.of("nixpkgs=" + set))));
    }

    @Test
    void severalPackagesAreEvaluatedTogetherInTheirOrder() {
        // two attributes of the package set, one of a file of their own, the set's again: as one evaluation each
        // gives them, in the order asked
        Map<String, String> fresh = Map.of("tag", UUID.randomUUID().toString());
        List<PackageRef> refs = List.of(new PackageRef.Attribute(Optional.of(set), "top"),
                PackageRef.parse("pkgs/default.nix#mid", Optional.empty()),
                new PackageRef.Attribute(Optional.of(set), "multi.dev"),
                new PackageRef.Attribute(Optional.of(set), "leaf"));
        List<StorePath> each = refs.stream().map(r -> nix.evaluatedOutPath(r, List.of(), fresh).orElseThrow()).toList();
        assertThat(each).doesNotHaveDuplicates();
        assertThat(nix.evaluatedOutPaths(refs, List.of(), fresh)).contains(each);
        assertThat(nix.evaluatedOutPaths(List.of(), List.of(), fresh)).contains(List.of());
        // one the evaluation cannot tell (a missing attribute, a list) and none is told
        List<PackageRef> withMissing = List.of(refs.get(0), PackageRef.parse("nope", Optional.of(set)), refs.get(1));
        assertThat(nix.evaluatedOutPaths(withMissing, List.of(), fresh)).isEmpty();
        assertThat(nix.evaluatedOutPaths(List.of(refs.get(3), PackageRef.parse("both", Optional.of(set))), List.of(), fresh))
                .isEmpty();
    }

    @Test
    void evaluationLeavesToTheBuildWhatItCannotTell() {
        PackageRef both = PackageRef.parse("both", Optional.of(set)); // a list: nix-build builds each
        assertThat(nix.evaluatedOutPath(both, List.of(), Map.of())).isEmpty();
        assertThat(nix.resolve(both)).hasSize(2);
        assertThat(nix.evaluatedOutPath(PackageRef.parse("nope", Optional.of(set)), List.of(), Map.of())).isEmpty();
        assertThat(nix.evaluatedOutPath(PackageRef.parse("absent.nix#x", Optional.empty()), List.of(), Map.of())).isEmpty();
        StorePath leaf = only(nix.resolve(PackageRef.parse("leaf", Optional.of(set))));
        assertThat(nix.evaluatedOutPath(PackageRef.parse(leaf.fullPath(), Optional.empty()), List.of(), Map.of())).isEmpty();
    }

    @Test
    void argStrChangesTheBuild() {
        PackageRef leaf = new PackageRef.Attribute(Optional.of(set), "leaf");
        assertThat(nix.resolve(leaf, List.of(), Map.of("tag", "b"))).doesNotContainAnyElementsOf(nix.resolve(leaf));
    }

    @Test
    void multipleOutputs() {
        StorePath out = only(nix.resolve(PackageRef.parse("multi", Optional.of(set))));
        StorePath dev = only(nix.resolve(PackageRef.parse("multi.dev", Optional.of(set))));
        assertThat(out.name()).isEqualTo("itest-multi");
        assertThat(dev.name()).isEqualTo("itest-multi-dev");
    }

    @Test
    void nixpkgsMissingFromNixPath() {
        NixCli noNixpkgs = TestNix.cli().nixPath("").build();
        assertThatThrownBy(() -> noNixpkgs.resolve(PackageRef.parse("hello", Optional.empty())))
                .isInstanceOf(NixInputException.class)
                .hasMessage("no package set: add 'nixpkgs:' to the spec, or set NIX_PATH / pass -I nixpkgs=PATH");
    }

    @Test
    void nixpkgsFromIncludeArgOrNixPath() {
        NixCli noNixpkgs = TestNix.cli().nixPath("").build();
        StorePath viaInclude = only(noNixpkgs.resolve(PackageRef.parse("leaf", Optional.empty()), List.of("nixpkgs=" + set)));
        StorePath viaNixPath = only(TestNix.cli().nixPath("nixpkgs=" + set).build()
                .resolve(PackageRef.parse("leaf", Optional.empty())));
        assertThat(viaInclude).isEqualTo(viaNixPath);
        assertThat(viaInclude.name()).isEqualTo("itest-leaf");
        assertThatThrownBy(() -> noNixpkgs.resolve(PackageRef.parse("nope", Optional.empty()), List.of("nixpkgs=" + set)))
                .hasMessageStartingWith("attribute 'nope' not found in <nixpkgs>");
    }

    @Test
    void nixAbsent() {
        NixCli none = NixCli.builder().searchPath("").build();
        assertThatThrownBy(() -> none.resolve(PackageRef.parse("hello", Optional.empty())))
                .isInstanceOf(NixNotFoundException.class)
                .hasMessage("Nix is not installed (nix-build not found on PATH)");
        assertThatThrownBy(() -> none.queryClosure(List.of(StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x"))))
                .isInstanceOf(NixNotFoundException.class);
        assertThatThrownBy(none::system).isInstanceOf(NixNotFoundException.class);
    }

    @Test
    void buildFailureIsOneLineWithTheLogInDetails() {
        assertThatThrownBy(() -> nix.resolve(PackageRef.parse("broken", Optional.of(set))))
                .isInstanceOf(NixException.class)
                .hasMessageMatching("nix-build failed: builder for '/nix/store/[a-z0-9]{32}-itest-broken.drv' failed.*")
                .satisfies(e -> assertThat(((NixException) e).details()).contains("boom"));
    }

    @Test
    void slowBuildTimesOut() throws IOException {
        Path slow = dir.resolve("slow.nix");
        Files.writeString(slow, """
                builtins.derivation { name = "itest-slow"; system = builtins.currentSystem; builder = "/bin/sh";
                  args = [ "-c" "/bin/sleep 60 && echo %s > $out" ]; }
                """.formatted(UUID.randomUUID()));
        NixCli impatient = TestNix.cli().buildTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.resolve(new PackageRef.NixFile(slow, Optional.empty())))
                .hasMessage("nix-build timed out after 2 s (raise the timeout if this build is expected to take longer)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void flakeAttribute() throws IOException {
        Path flake = Files.createDirectories(dir.resolve("flake"));
        Files.writeString(flake.resolve("flake.nix"), """
                {
                  outputs = { self }: let
                    system = "%s";
                  in {
                    packages.${system}.default = builtins.derivation {
                      name = "itest-flake"; inherit system; builder = "/bin/sh"; args = [ "-c" "echo flake > $out" ];
                    };
                  };
                }
                """.formatted(nix.system().nixSystem()));
        StorePath p = only(nix.resolve(PackageRef.parse("path:" + flake + "#default", Optional.empty())));
        assertThat(p.name()).isEqualTo("itest-flake");
        assertThatThrownBy(() -> nix.resolve(PackageRef.parse("path:" + flake + "#nope", Optional.empty())))
                .isInstanceOf(NixInputException.class)
                .hasMessageStartingWith("cannot build flake path:" + flake + "#nope: ")
                .hasMessageContaining("does not provide attribute");
    }

    @Test
    void closureFromPathInfoAndFromNixStoreAgree() {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        Closure c = commandsOnly.queryClosure(List.of(top));
        assertThat(c.roots()).containsExactly(top);
        assertThat(c.paths()).extracting(StorePath::name)
                .containsExactlyInAnyOrder("itest-top", "itest-mid", "itest-leaf");
        assertThat(c.info(top).references()).extracting(StorePath::name).containsExactlyInAnyOrder("itest-mid", "itest-leaf");
        assertThat(c.info(top).narHash()).startsWith("sha256-"); // SRI, as 2.8 prints it

        Closure legacy = nix.queryClosureWithNixStore(List.of(top));
        assertThat(legacy.paths()).isEqualTo(c.paths());
        for (StorePath p : c.paths()) {
            assertThat(legacy.info(p).references()).isEqualTo(c.info(p).references());
            assertThat(legacy.info(p).narSize()).isEqualTo(c.info(p).narSize());
            assertThat(legacy.info(p).narHash()).startsWith("sha256:");
        }
    }

    @Test
    void aClosureQueryStartedBeforeItsRootsAgreesWithPathInfo() {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        Closure fromPathInfo = commandsOnly.queryClosure(List.of(top));
        // prepared: nix-store --serve started where the database is not read, the database opened where it is
        for (boolean database : List.of(false, true)) {
            NixCli cli = TestNix.cli().workingDirectory(dir).readStoreDatabase(database).build();
            Closure prepared;
            try (NixCli.PreparedQuery q = cli.prepareClosureQuery()) {
                prepared = cli.queryClosure(List.of(top));
            }
            assertThat(prepared.roots()).isEqualTo(fromPathInfo.roots());
            assertThat(prepared.paths()).isEqualTo(fromPathInfo.paths());
            for (StorePath p : fromPathInfo.paths()) {
                assertThat(prepared.info(p)).isEqualTo(fromPathInfo.info(p)); // NAR hash in path-info's form too
            }
        }
    }

    @Test
    void aClosureQueryStartedBeforeItsRootsIsAnsweredByNixStoreServe() throws IOException {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        // no `nix`: path-info cannot answer, and the nix-store fallback prints NAR hashes as sha256:…
        withOnlyNixStore("serve-only", serveOnly -> {
            Closure c;
            try (NixCli.PreparedQuery q = serveOnly.prepareClosureQuery()) {
                c = serveOnly.queryClosure(List.of(top));
            }
            assertThat(c.info(top).narHash()).isEqualTo(commandsOnly.queryClosure(List.of(top)).info(top).narHash())
                    .startsWith("sha256-");
            // unprepared, the same Nix answers through the fallback
            assertThat(serveOnly.queryClosure(List.of(top)).info(top).narHash()).startsWith("sha256:");
        });
    }

    @Test
    void aPreparedClosureQueryOfAnInvalidRootSaysWhatPathInfoSays() {
        StorePath missing = StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-missing");
        for (boolean database : List.of(false, true)) { // nix-store --serve, or Nix's database: then path-info
            NixCli cli = TestNix.cli().workingDirectory(dir).readStoreDatabase(database).build();
            try (NixCli.PreparedQuery q = cli.prepareClosureQuery()) {
                assertThatThrownBy(() -> cli.queryClosure(List.of(missing)))
                        .isInstanceOf(NixInputException.class)
                        .hasMessage("store path " + missing + " does not exist (or is not valid)");
            }
        }
    }

    @Test
    void aPreparedClosureQueryNeverAskedEndsItsProcessWhenClosed() throws Exception {
        NixCli cli = TestNix.cli().workingDirectory(dir).readStoreDatabase(false).build();
        NixCli.PreparedQuery q = cli.prepareClosureQuery();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (serveChildren().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(serveChildren()).as("nix-store --serve started").isNotEmpty();
        q.close();
        assertThat(serveChildren()).as("nix-store --serve after close").isEmpty();
    }

    @Test
    void aClosureQueryPastItsDeadlineEndsWithoutAnAnswer() {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        String path = System.getenv("PATH");
        NixTools tools = new NixTools(path, null, Map.of("PATH", path), dir);
        long t0 = System.nanoTime();
        try (NixServe serve = NixServe.start(tools, Duration.ofMillis(1))) {
            assertThatThrownBy(() -> serve.closure(List.of(top))).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("nix-store --serve");
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(5_000);
        assertThat(serveChildren()).isEmpty();
    }

    private static List<ProcessHandle> serveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("--serve")).orElse(false)).toList();
    }

    @Test
    void derivationSystemsReadFromTheDerivationFilesAgreeWithNix() throws IOException {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        StorePath leaf = only(nix.resolve(PackageRef.parse("leaf", Optional.of(set))));
        Closure c = commandsOnly.queryClosure(List.of(top));
        // both queries name the same deriver, a .drv that exists
        StorePath drv = c.info(top).deriver();
        assertThat(drv).isNotNull();
        assertThat(drv.name()).isEqualTo("itest-top.drv");
        assertThat(nix.queryClosureWithNixStore(List.of(top)).info(top).deriver()).isEqualTo(drv);
        Map<StorePath, String> fromNix = nix.derivationSystems(List.of(top, leaf));
        assertThat(fromNix).containsOnlyKeys(top, leaf);
        assertThat(nix.derivationSystems(List.of(top, leaf), c)).isEqualTo(fromNix);
        assertThat(DerivationFile.system(Path.of(drv.fullPath()))).contains(nix.system().nixSystem());

        // a closure whose deriver cannot be read there: Nix is asked instead, the answer is the same
        PathInfo i = c.info(top);
        Closure unreadable = new Closure(List.of(top), c.paths().stream().map(p -> p.equals(top)
                ? new PathInfo(p, i.narSize(), i.narHash(), i.references(),
                        StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gone.drv"))
                : c.info(p)).toList());
        assertThat(nix.derivationSystems(List.of(top), unreadable)).isEqualTo(Map.of(top, fromNix.get(top)));
    }

    @Test
    void closureFallsBackToNixStoreWhenTheNixCommandIsMissing() throws IOException {
        StorePath top = only(nix.resolve(PackageRef.parse("top", Optional.of(set))));
        withOnlyNixStore("only-nix-store", legacyOnly -> {
            Closure c = legacyOnly.queryClosure(List.of(top));
            assertThat(c.paths()).isEqualTo(nix.queryClosure(List.of(top)).paths());
            assertThat(c.info(top).narHash()).startsWith("sha256:");
        });
    }

    /** {@code body} given a Nix whose only command is nix-store (a link to this one's), removed after. */
    private static void withOnlyNixStore(String folder, java.util.function.Consumer<NixCli> body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(folder));
        // nix-store is a name of the multi-call `nix` binary: a link with that name behaves as nix-store
        Path link = Files.createSymbolicLink(bin.resolve("nix-store"), Path.of(nix.locate("nix-store")));
        try {
            body.accept(TestNix.cli().binDir(bin).readStoreDatabase(false).build());
        } finally {
            Files.delete(link); // JUnit warns about links leaving @TempDir
        }
    }

    @Test
    void closureOfAnInvalidPath() {
        StorePath missing = StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-missing");
        assertThatThrownBy(() -> nix.queryClosure(List.of(missing)))
                .isInstanceOf(NixInputException.class)
                .hasMessage("store path " + missing + " does not exist (or is not valid)");
        assertThatThrownBy(() -> nix.queryClosureWithNixStore(List.of(missing)))
                .hasMessage("store path " + missing + " does not exist (or is not valid)");
    }

    @Test
    void anInvalidRootFailsAtOnceEvenWithBinaryCachesConfigured() {
        // Nix's default substituter (cache.nixos.org) is unreachable here: a closure query that
        // looked an invalid root up there would spend ~4 s retrying before failing.
        NixCli withCaches = NixCli.builder().environment("NIX_CONFIG", null).workingDirectory(dir).build();
        StorePath missing = StorePath.parse("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-missing");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> withCaches.queryClosure(List.of(missing)))
                .isInstanceOf(NixInputException.class)
                .hasMessage("store path " + missing + " does not exist (or is not valid)");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(2_000);
        StorePath leaf = only(nix.resolve(new PackageRef.Attribute(Optional.of(set), "leaf")));
        assertThat(withCaches.queryClosure(List.of(leaf)).size()).isEqualTo(1);
    }

    @Test
    void systemOfThisMachine() {
        NixSystem s = nix.system();
        assertThat(s.os()).isEqualTo("linux");
        String arch = System.getProperty("os.arch");
        assertThat(s.architecture()).isEqualTo(arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch);
    }

    private static StorePath only(List<StorePath> paths) {
        assertThat(paths).hasSize(1);
        return paths.get(0);
    }
}
