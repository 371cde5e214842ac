package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.DistrolixException;
import dev.distrolix.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Error mapping on stderr texts as Nix prints them (2.8 verbatim, and the traced style of newer Nix). */
class NixErrorsTest {
    private static final List<String> ARGV = List.of("/bin/nix-build", "x.nix", "-A", "top");

    @Test
    void aMissingTemporaryFolderIsNamedAsSuchNotAsANixFile() {
        assertThat(NixErrors.missingFile("/gone/tmp", "/gone/tmp/")).isEqualTo(
                "the temporary folder /gone/tmp (TMPDIR) does not exist: Nix works there; create it or unset TMPDIR");
        assertThat(NixErrors.missingFile("/src/app.nix", "/gone/tmp")).isEqualTo("Nix file /src/app.nix does not exist");
        assertThat(NixErrors.missingFile("/src/app.nix", null)).isEqualTo("Nix file /src/app.nix does not exist");
    }

    @Test
    void attributeNotFoundWithHint() {
        DistrolixException e = NixErrors.forBuild(ARGV, "nix-build",
                "error: attribute 'nope' in selection path 'top.nope' not found\n       Did you mean one of name or type?\n",
                "/src/pkgs");
        assertThat(e.getMessage()).isEqualTo("attribute 'top.nope' not found in /src/pkgs (did you mean one of name or type?)");
        assertThat(e).isInstanceOf(NixInputException.class).isInstanceOf(InputException.class);
        assertThat(e.exitCode()).isEqualTo(DistrolixException.EXIT_INPUT);
        assertThat(((NixInputException) e).command()).isEqualTo(ARGV);
        assertThat(((NixInputException) e).details()).contains("Did you mean");
    }

    @Test
    void aSystemNixCannotBuildForSaysWhatToSetUp() {
        // Nix 2.8's words without extra-platforms (seen on our machines)
        DistrolixException e = NixErrors.forBuild(ARGV, "nix-build", "error: a 'aarch64-linux' with features {} is"
                + " required to build '/nix/store/x-glibc-2.36.drv', but I am a 'x86_64-linux' with features {benchmark,"
                + " big-parallel, nixos-test}\n", "<nixpkgs>");
        assertThat(e).isInstanceOf(NixInputException.class);
        assertThat(e.getMessage()).isEqualTo("Nix cannot build for aarch64-linux on this x86_64-linux machine: set"
                + " extra-platforms = aarch64-linux in nix.conf with emulation (qemu-user-static and binfmt_misc), or"
                + " add a remote builder (builders = ssh://HOST aarch64-linux), or use a binary cache that has the paths");
    }

    @Test
    void nixpkgsMissingFromSearchPath() {
        DistrolixException e = NixErrors.forBuild(ARGV, "nix-build",
                "error: file 'nixpkgs' was not found in the Nix search path (add it using $NIX_PATH or -I)\n", "<nixpkgs>");
        assertThat(e).isInstanceOf(NixInputException.class);
        assertThat(e.getMessage())
                .isEqualTo("no package set: add 'nixpkgs:' to the spec, or set NIX_PATH / pass -I nixpkgs=PATH");
    }

    @Test
    void aSearchPathEntryTheUserGaveThatLeadsNowhereIsNamed() {
        DistrolixException e = NixErrors.forBuild(List.of("nix-build", "<nixpkgs>", "-A", "hello", "-I", "nixpkgs=/nope"),
                "nix-build", "error: file 'nixpkgs' was not found in the Nix search path (add it using $NIX_PATH or -I)\n",
                "<nixpkgs>");
        assertThat(e).isInstanceOf(NixInputException.class);
        assertThat(e.getMessage()).isEqualTo("'<nixpkgs>' was not found: -I nixpkgs=/nope names nothing there");
    }

    @Test
    void tracedStyleFindsTheRealMessage() {
        String stderr = "\u001B[31;1merror:\u001B[0m\n       … while evaluating the attribute 'x'\n\n"
                + "       \u001B[31;1merror:\u001B[0m undefined variable 'foo'\n";
        assertThat(NixErrors.generic(ARGV, "nix-build", stderr).getMessage()).isEqualTo("nix-build failed: undefined variable 'foo'");
    }

    @Test
    void builderFailureIsOneLine() {
        String stderr = "building '/nix/store/wqjgrcp3y0dnd3l7v2874j3fpw5ndfvf-f.drv'...\nboom\n"
                + "error: builder for '/nix/store/wqjgrcp3y0dnd3l7v2874j3fpw5ndfvf-f.drv' failed with exit code 3;\n"
                + "       last 1 log lines:\n       > boom\n";
        DistrolixException d = NixErrors.forBuild(ARGV, "nix-build", stderr, "x");
        assertThat(d).isInstanceOf(NixException.class).isInstanceOf(dev.distrolix.ToolException.class);
        NixException e = (NixException) d;
        assertThat(e.getMessage()).isEqualTo(
                "nix-build failed: builder for '/nix/store/wqjgrcp3y0dnd3l7v2874j3fpw5ndfvf-f.drv' failed with exit code 3");
        assertThat(e.exitCode()).isEqualTo(DistrolixException.EXIT_FAILURE);
        assertThat(e.command()).isEqualTo(ARGV);
        assertThat(e.details()).contains("boom");
    }

    @Test
    void invalidPathInQuery() {
        DistrolixException e = NixErrors.forQuery(ARGV, "nix-store",
                "error: path '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x' is not valid\n");
        assertThat(e).isInstanceOf(NixInputException.class);
        assertThat(e.getMessage())
                .isEqualTo("store path /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x does not exist (or is not valid)");
    }
}
