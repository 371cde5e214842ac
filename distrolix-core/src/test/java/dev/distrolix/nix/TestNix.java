package dev.distrolix.nix;

/** Shared setup of the integration tests that run the real Nix. */
public final class TestNix {
    private TestNix() {}

    public static boolean installed() {
        try {
            NixCli.create().system();
            return true;
        } catch (NixNotFoundException e) {
            return false;
        }
    }

    /**
     * The integration tests' package set ({@link NixCliIntegrationTest#PACKAGE_SET}), written in {@code dir}/pkgs;
     * fails the test where Nix is not installed.
     */
    public static java.nio.file.Path packageSet(java.nio.file.Path dir) throws java.io.IOException {
        org.junit.jupiter.api.Assertions.assertTrue(installed(), "Nix is not installed: run testing/install-tools.sh");
        java.nio.file.Path set = java.nio.file.Files.createDirectories(dir.resolve("pkgs"));
        java.nio.file.Files.writeString(set.resolve("default.nix"), NixCliIntegrationTest.PACKAGE_SET);
        return set;
    }

    /**
     * A NixCli for tests. This machine has no internet: without an empty substituter list every
     * Nix process spends ~4 s retrying cache.nixos.org before building locally.
     */
    public static NixCli.Builder cli() {
        return NixCli.builder().environment("NIX_CONFIG", "substituters =");
    }
}
