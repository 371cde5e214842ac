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
 *
 * <p>A spec built in code ({@link ImageSpec#builder()}) has no text to point into: its locations have line and
 * column 0 ({@link #inCode}) and print as the name alone.
 */
public record SourceLocation(Path file, int line, int column) {
    public SourceLocation {
        Objects.requireNonNull(file, "file");
        boolean noPosition = line == 0 && column == 0;
        if (!noPosition && (line < 1 || column < 1)) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    /** The start of a file, for errors about a whole file (for example an empty one). */
    public static SourceLocation startOf(Path file) {
        return new SourceLocation(file, 1, 1);
    }

    /** A value that was not read from text, such as one given to {@link ImageSpec#builder()}. */
    public static SourceLocation inCode(Path name) {
        return new SourceLocation(name, 0, 0);
    }

    /** False for {@link #inCode} locations. */
    public boolean hasPosition() {
        return line > 0;
    }

    /** {@code line:column}, for messages that point at a second place in the same file (the name when in code). */
    public String lineColumn() {
        return hasPosition() ? line + ":" + column : file.toString();
    }

    @Override
    public String toString() {
        return hasPosition() ? file + ":" + line + ":" + column : file.toString();
    }
}
