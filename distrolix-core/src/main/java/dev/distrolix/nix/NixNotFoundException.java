package dev.distrolix.nix;

import java.util.List;

/**
 * The Nix command-line tools are not installed (or not where the configuration says they are): a
 * tool is missing on this machine, which is not the user's input; exit 1.
 */
public final class NixNotFoundException extends NixException {
    public NixNotFoundException(String tool, String message) {
        super(List.of(tool), message, "");
    }
}
