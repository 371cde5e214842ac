package dev.distrolix.inspect.audit;

import dev.distrolix.InputException;
import dev.distrolix.Printable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much a finding matters, lowest first; {@code --fail-on} picks the lowest one that fails a CI step. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** Lower-case name, as the CLI, the config file and the JSON spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses {@code info|low|medium|high|critical} (any case); {@code none} gives null (never fail). */
    public static Severity parseOrNone(String text, String where) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("never")) {
            return null;
        }
        for (Severity s : values()) {
            if (s.label().equals(t)) {
                return s;
            }
        }
        throw new InputException(where + ": '" + Printable.shown(text, 80) + "' is not a severity (expected "
                + Arrays.stream(values()).map(Severity::label).collect(Collectors.joining(", ")) + " or none)");
    }
}
