package dev.distrolix.spec;

import java.nio.file.Path;
import java.util.Objects;

/** What a {@link PathSpec.FileSpec} holds: text written in the spec, or a file next to the spec. */
public sealed interface FileContent {

    /** {@code content:} in the spec, interpolated. */
    record Inline(Template template) implements FileContent {
        public Inline {
            Objects.requireNonNull(template, "template");
        }
    }

    /**
     * {@code source:}: a regular file inside the spec's folder, read when the image is built. Copied byte for
     * byte unless {@code interpolate} is set, in which case it is read as UTF-8 text and rendered like inline
     * content (its placeholders were already checked when the spec was loaded).
     */
    record Source(Path absolutePath, boolean interpolate) implements FileContent {
        public Source {
            Objects.requireNonNull(absolutePath, "absolutePath");
        }
    }
}
