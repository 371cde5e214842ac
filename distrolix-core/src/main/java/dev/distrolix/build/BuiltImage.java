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
         * Run once the image is assembled, just before it is written: a step that cannot succeed (a wrong key
         * password) fails here, so that no unsigned image is pushed.
         */
        default void beforeWrite(AssembledImage image, ImageReference target) throws java.io.IOException {}

        void written(BuiltImage built) throws java.io.IOException;

        /** After every platform's {@link #written}: the index of a multi-platform build was written. */
        default void writtenIndex(ImageReference target, WriteResult index) throws java.io.IOException {}
    }
}
