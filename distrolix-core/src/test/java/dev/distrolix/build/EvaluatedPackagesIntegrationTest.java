package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.TestNix;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build of packages already built asks Nix to evaluate them, not to build them (nix-build writes every derivation
 * of their graph to the store); a package not built yet, or whose derivation was collected, is built as before.
 * Against the real Nix, with nix-build wrapped so that its calls are counted.
 */
@IntegrationTest
class EvaluatedPackagesIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void onlyWhatIsNotBuiltIsBuilt() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8); // never built before this test
        Files.createDirectories(dir.resolve("pkgs"));
        Files.writeString(dir.resolve("pkgs/default.nix"), """
                let
                  mk = name: deps: builtins.derivation {
                    inherit name deps;
                    system = builtins.currentSystem;
                    builder = "/bin/sh";
                    args = [ "-c" "echo ${name} > $out; for d in $deps; do echo $d >> $out; done" ];
                  };
                in rec { leaf = mk "eval-leaf-%s" []; top = mk "eval-top-%s" [ leaf ]; }
                """.formatted(unique, unique));
        Path specFile = dir.resolve("image.yaml");
        Files.writeString(specFile, "name: evaluated\npackages:\n  - pkgs/default.nix#top\n  - pkgs/default.nix#leaf\n");
        ImageSpec spec = SpecLoader.load(specFile);
        Path log = dir.resolve("nix-build.calls");
        Path evaluations = dir.resolve("evaluations");
        NixCli nix = TestNix.cli().searchPath(wrappedNix(log, evaluations).toString()).workingDirectory(dir).build();

        NixInputs first = NixInputs.of(spec, nix, List.of(), BuildListener.NONE);
        assertThat(calls(log)).isEqualTo(2); // evaluated, found not valid: built (one nix-build per package)
        assertThat(calls(evaluations)).isEqualTo(1); // both packages of the file in one evaluation
        assertThat(first.closure().roots()).extracting(StorePath::name)
                .containsExactlyInAnyOrder("eval-top-" + unique, "eval-leaf-" + unique);
        StorePath top = first.closure().roots().stream().filter(r -> r.name().startsWith("eval-top-")).findFirst().orElseThrow();

        NixInputs again = NixInputs.of(spec, nix, List.of(), BuildListener.NONE);
        assertThat(calls(log)).isEqualTo(2); // evaluated only
        assertThat(calls(evaluations)).isEqualTo(2);
        assertThat(again.closure().paths()).isEqualTo(first.closure().paths());
        assertThat(again.system()).isEqualTo(first.system());
        assertThat(again.resolved()).isEqualTo(first.resolved());

        // its derivation collected: built (instantiated) again, so that the system is read from it
        StorePath drv = first.closure().info(top).deriver();
        assertThat(drv).isNotNull();
        Process delete = new ProcessBuilder(nix.locate("nix-store"), "--delete", "--ignore-liveness", drv.fullPath()).redirectErrorStream(true).start();
        assertThat(delete.waitFor()).as(new String(delete.getInputStream().readAllBytes())).isZero();
        NixInputs afterCollection = NixInputs.of(spec, nix, List.of(), BuildListener.NONE);
        assertThat(calls(log)).isEqualTo(4);
        assertThat(afterCollection.closure().paths()).isEqualTo(first.closure().paths());
        assertThat(Files.exists(Path.of(drv.fullPath()))).isTrue();
    }

    /**
     * A folder with Nix's programs: nix-build a script that notes each call in {@code builds} and runs the real one,
     * nix-instantiate one that notes in {@code evaluations} each evaluation of out paths.
     */
    private Path wrappedNix(Path builds, Path evaluations) throws IOException {
        NixCli real = TestNix.cli().build();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("nix", "nix-store")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(real.locate(tool)));
        }
        Fixtures.script(bin.resolve("nix-build"), "echo call >> '" + builds + "'\nexec '" + real.locate("nix-build") + "' \"$@\"");
        Fixtures.script(bin.resolve("nix-instantiate"), "case \"$*\" in *outPath*) echo call >> '" + evaluations + "' ;; esac\n"
                + "exec '" + real.locate("nix-instantiate") + "' \"$@\"");
        return bin;
    }

    private static long calls(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }
}
