package dev.distrolix.nix;

import java.util.List;

/** What Nix knows of one valid store path: its NAR size and hash and its direct references (self excluded). */
public record PathInfo(StorePath path, long narSize, String narHash, List<StorePath> references) {
    public PathInfo {
        references = references.stream().filter(r -> !r.equals(path)).sorted().toList();
    }
}
