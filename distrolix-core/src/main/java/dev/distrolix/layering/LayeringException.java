package dev.distrolix.layering;

/** A layering request that cannot be met: unknown strategy, max-layers out of range, too many paths for per-path. */
public final class LayeringException extends IllegalArgumentException {
    public LayeringException(String message) {
        super(message);
    }
}
