package dev.distrolix.transport;

import java.io.IOException;

/**
 * Writing or loading an image failed. The message is always one line meant for the user
 * (e.g. "cannot write to /out: permission denied"); the cause keeps the details.
 */
public final class ImageOutputException extends IOException {
    public ImageOutputException(String message) {
        super(message);
    }

    public ImageOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
