package dev.distrolix.nix;

/** The Nix command-line tools are not installed (or not where the configuration says they are). */
public final class NixNotFoundException extends NixException {
    public NixNotFoundException(String message) {
        super(message, true, "");
    }
}
