package dev.distrolix.image;

import java.time.Instant;

/**
 * One entry of the config's {@code history}. Null fields and a false {@code emptyLayer} are
 * omitted from the JSON, as Go's {@code omitempty} does in the tools that read it.
 */
public record HistoryEntry(Instant created, String createdBy, String comment, boolean emptyLayer) {
    /** An entry for a layer that adds content (the usual case for a Nix store layer). */
    public static HistoryEntry layer(Instant created, String createdBy, String comment) {
        return new HistoryEntry(created, createdBy, comment, false);
    }
}
