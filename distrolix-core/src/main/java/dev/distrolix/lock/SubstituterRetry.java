package dev.distrolix.lock;

import dev.distrolix.nix.substituter.Retry;
import dev.distrolix.registry.RetryPolicy;
import java.io.IOException;

/** The registry client's {@link RetryPolicy} (backoff with jitter, attempts) for substituter requests. */
public final class SubstituterRetry {
    private SubstituterRetry() {}

    public static Retry of(RetryPolicy policy) {
        return new Retry() {
            @Override
            public <T> T run(Call<T> call) throws IOException {
                return policy.run(attempt -> call.call(), RetryPolicy.Listener.NONE);
            }
        };
    }
}
