package dev.distrolix.build;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.WriteResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An image a build has just written, with what it was made from: what signing it and recording its
 * provenance need. Its layers can still be read (the build's blobs are removed only after the
 * {@link AfterWrite} step returns).
 *
 * @param lockFile the lock the build was pinned by, if any
 */
public record BuiltImage(ImageSpec spec, AssembledImage image, ImageReference target, WriteResult written,
                         Closure closure, NixSystem system, Instant created, Optional<Path> lockFile) {
    public BuiltImage {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(written, "written");
        Objects.requireNonNull(closure, "closure");
        Objects.requireNonNull(lockFile, "lockFile");
    }

    /** A step run right after the image is written (signing, attesting); its failure fails the build. */
    @FunctionalInterface
    public interface AfterWrite {
        /**
         * Run once the image is assembled, just before it is written, to start work beside the write. {@code planned}
         * is the image as {@link #written} will be given it if the write goes as planned (its result: the image's
         * own digest, the target's name); null for a multi-platform build.
         */
        default void beforeWrite(BuiltImage planned, ImageReference target) throws java.io.IOException {}

        /** The build failed after {@link #beforeWrite}: what was started beside the write is stopped. */
        default void abandon() {}

        /**
         * Waits until the step can succeed, or fails: called before anything is published (to a registry, once the
         * blobs are stored and before any manifest), so that a step that cannot succeed (a wrong key password)
         * leaves no unsigned image.
         */
        default void ready() throws java.io.IOException {}

        void written(BuiltImage built) throws java.io.IOException;

        /** After every platform's {@link #written}: the index of a multi-platform build was written. */
        default void writtenIndex(ImageReference target, WriteResult index) throws java.io.IOException {}
    }
}
