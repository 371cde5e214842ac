package dev.distrolix.registry;

/** Receives push events; called from upload threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface PushListener {
    PushListener NONE = e -> { };

    void on(PushEvent event);
}
