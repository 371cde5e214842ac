package dev.distrolix.nix;

import java.util.List;

/**
 * What Nix knows of one valid store path: its NAR size and hash, its direct references (self excluded),
 * and the derivation that built it ({@code deriver}; null when Nix does not know, e.g. a source file).
 */
public record PathInfo(StorePath path, long narSize, String narHash, List<StorePath> references, StorePath deriver) {
    public PathInfo {
        // a loop, not a stream: one PathInfo per closure path, thousands in a fresh JVM
        List<StorePath> refs = new java.util.ArrayList<>(references.size());
        for (StorePath r : references) {
            if (!r.equals(path)) {
                refs.add(r);
            }
        }
        refs.sort(null);
        references = java.util.Collections.unmodifiableList(refs);
    }

    /** A path whose deriver is not known. */
    public PathInfo(StorePath path, long narSize, String narHash, List<StorePath> references) {
        this(path, narSize, narHash, references, null);
    }
}
