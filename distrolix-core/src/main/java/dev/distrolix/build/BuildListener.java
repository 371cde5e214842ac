package dev.distrolix.build;

/** Receives build events; called from worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface BuildListener {
    BuildListener NONE = e -> { };

    void on(BuildEvent event);
}
