package dev.distrolix.inspect.audit;

import java.util.List;
import java.util.Objects;

/**
 * One audit result: a rule {@code id} ({@code shell}, {@code elf-unresolved}, …, listed in
 * {@link Rule}), its severity, one line saying what is wrong, and the image paths that prove it
 * (with what they point to, e.g. {@code /bin/sh -> busybox}). Ignore rules match the id and the
 * paths' first word (the path itself).
 */
public record Finding(String id, Severity severity, String message, List<String> paths) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        paths = List.copyOf(paths);
    }

    /** The image path a proof line is about: its text up to the first " (" or " -> ". */
    public static String pathOf(String proof) {
        int end = proof.length();
        for (String sep : List.of(" (", " -> ", ": ")) {
            int i = proof.indexOf(sep);
            if (i > 0 && i < end) {
                end = i;
            }
        }
        return proof.substring(0, end);
    }

    public Finding withPaths(List<String> kept) {
        return new Finding(id, severity, message, kept);
    }
}
