package dev.distrolix.nix.substituter;

import java.io.IOException;

/** The bytes are not a valid NAR (or could not be decompressed): a fault of the content, never retried. */
public final class NarFormatException extends IOException {
    public NarFormatException(String message) {
        super(message);
    }

    public NarFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
