package dev.distrolix.layering;

import dev.distrolix.InputException;

/**
 * A layering request that cannot be met: unknown strategy, max-layers out of range, too many paths
 * for per-path. The user's input (an option or a spec value): exit 3.
 */
public final class LayeringException extends InputException {
    public LayeringException(String message) {
        super(message);
    }
}
