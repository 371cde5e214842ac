package dev.distrolix.nix.substituter;

import java.io.IOException;

/**
 * How a substituter request is tried again after a transient fault (an {@link IOException}: a reset
 * connection, a stall, a 5xx). Content faults are {@link dev.distrolix.InputException}s and never retried.
 * The build and lock commands adapt the registry's {@code RetryPolicy} to this (the nix package cannot
 * depend on the registry client).
 */
public interface Retry {
    <T> T run(Call<T> call) throws IOException;

    @FunctionalInterface
    interface Call<T> {
        T call() throws IOException;
    }

    Retry ONCE = new Retry() {
        @Override
        public <T> T run(Call<T> call) throws IOException {
            return call.call();
        }
    };
}
