package dev.distrolix.spec;

import dev.distrolix.InputException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A problem with an image spec, always reported as one line:
 * {@code file:line:col: key.path[2]: problem}. The key path is left out when the problem concerns the
 * whole document, and line and column when the file could not be read at all.
 *
 * <p>An {@link InputException} (exit 3): every stage that touches the spec (loading, rendering) may
 * raise it, and the CLI handles it in one place by printing {@link #getMessage()}.
 */
public final class SpecException extends InputException {
    private final Path file;
    private final SourceLocation location;
    private final String keyPath;
    private final String problem;

    public SpecException(SourceLocation location, String keyPath, String problem) {
        this(location.file(), location, keyPath, problem, null);
    }

    private SpecException(Path file, SourceLocation location, String keyPath, String problem, Throwable cause) {
        super(format(file, location, keyPath, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.location = location;
        this.keyPath = keyPath == null ? "" : keyPath;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** A problem with a file as a whole, with no line to point at (it cannot be read, has a wrong name…). */
    public static SpecException inFile(Path file, String problem, Throwable cause) {
        return new SpecException(file, null, "", problem, cause);
    }

    /** A problem at a location, keeping the lower-level exception (Jackson's, I/O) as the cause. */
    public static SpecException at(SourceLocation location, String keyPath, String problem, Throwable cause) {
        return new SpecException(location.file(), location, keyPath, problem, cause);
    }

    /** The longest problem a message says in full. */
    private static final int MAX_PROBLEM = 400;

    private static String format(Path file, SourceLocation location, String keyPath, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(location != null ? location.toString() : String.valueOf(file)).append(": ");
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        // Problems quote user text (multi-line YAML strings included): escape breaks to keep one line, and keep
        // the line readable where the text quoted is megabytes long.
        return sb.append(dev.distrolix.Printable.shortened(problem.replace("\r", "\\r").replace("\n", "\\n"),
                MAX_PROBLEM)).toString();
    }

    public Path file() {
        return file;
    }

    public Optional<SourceLocation> location() {
        return Optional.ofNullable(location);
    }

    /** The key path such as {@code paths[2].mode}, or "" for the document as a whole. */
    public String keyPath() {
        return keyPath;
    }

    /** The problem alone, without file, location or key path. */
    public String problem() {
        return problem;
    }
}
