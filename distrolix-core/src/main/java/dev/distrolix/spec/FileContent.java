package dev.distrolix.spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@link PathSpec.FileSpec} holds: text written in the spec, a file next to the spec, or (for a spec built
 * in code) bytes given as they are.
 */
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

    /** Bytes copied into the image unchanged ({@link ImageSpecBuilder#file(String, byte[])}); never interpolated. */
    record Bytes(byte[] bytes) implements FileContent {
        public Bytes {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bytes[" + bytes.length + " bytes]";
        }
    }
}
