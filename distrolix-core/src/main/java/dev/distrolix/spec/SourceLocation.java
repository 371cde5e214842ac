package dev.distrolix.spec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where something was written: a file and a 1-based line and column. Printed as {@code file:line:col}, the
 * form editors and terminals turn into a link.
 *
 * <p>Model records carry one so that stages after loading (Nix evaluation, template rendering) can still point
 * the user at the spec text that caused an error. Two specs that differ only in layout therefore differ in
 * their locations; compare models while ignoring this type when layout should not matter.
 */
public record SourceLocation(Path file, int line, int column) {
    public SourceLocation {
        Objects.requireNonNull(file, "file");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    /** The start of a file, for errors about a whole file (for example an empty one). */
    public static SourceLocation startOf(Path file) {
        return new SourceLocation(file, 1, 1);
    }

    /** {@code line:column}, for messages that point at a second place in the same file. */
    public String lineColumn() {
        return line + ":" + column;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
