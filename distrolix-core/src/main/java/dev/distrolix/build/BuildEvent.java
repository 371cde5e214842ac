package dev.distrolix.build;

import dev.distrolix.blob.Digest;
import java.util.List;

/** Typed progress events of a build, so a CLI, an IDE plugin or a test can follow it (as Jib does). */
public sealed interface BuildEvent {
    record SpecLoaded(String file, String imageName) implements BuildEvent {}

    record PackagesResolved(List<String> storePaths) implements BuildEvent {}

    record ClosureComputed(int paths, long narSize) implements BuildEvent {}

    record LayersPlanned(int layers, String strategy) implements BuildEvent {}

    /** A layer is ready; {@code cached} when it came from the layer cache (no tar, no compression). */
    /** {@code fate}: "cached", "registry" or "built", as {@link BuildResult.LayerSummary#fate()}. */
    record LayerWritten(int index, int total, String description, Digest digest, long size, long uncompressedSize,
                        boolean cached, String fate) implements BuildEvent {
        public LayerWritten(int index, int total, String description, Digest digest, long size, long uncompressedSize,
                            boolean cached) {
            this(index, total, description, digest, size, uncompressedSize, cached, cached ? "cached" : "built");
        }
    }

    record Notice(String message) implements BuildEvent {}

    record ImageWritten(String target, Digest manifestDigest) implements BuildEvent {}
}
