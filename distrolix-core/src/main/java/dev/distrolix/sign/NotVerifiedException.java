package dev.distrolix.sign;

import dev.distrolix.DistrolixException;

/**
 * The image is readable but what was asked is not proven: no signature, another key's, a signature for
 * another digest, no attestation of that type. Exit {@link #EXIT_FINDINGS}, as a failed audit.
 */
public final class NotVerifiedException extends DistrolixException {
    public NotVerifiedException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return EXIT_FINDINGS;
    }
}
