package dev.distrolix.copy;

import dev.distrolix.blob.Digest;
import dev.distrolix.registry.PushResult;
import java.util.List;

/**
 * What a copy did: from where, to where (target syntax), the manifest or index digest, for a
 * registry destination the push's per-blob outcome (else null), and when an index was copied whole
 * the digests of the manifests it lists (else none).
 */
public record CopyResult(String source, String target, Digest digest, PushResult push, List<Digest> entries) {
    public CopyResult {
        entries = List.copyOf(entries);
    }

    /** A copy of one image. */
    public CopyResult(String source, String target, Digest digest, PushResult push) {
        this(source, target, digest, push, List.of());
    }
}
