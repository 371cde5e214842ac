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
     * A NixCli for tests. This machine has no internet: without an empty substituter list every
     * Nix process spends ~4 s retrying cache.nixos.org before building locally.
     */
    public static NixCli.Builder cli() {
        return NixCli.builder().environment("NIX_CONFIG", "substituters =");
    }
}
