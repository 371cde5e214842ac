package dev.distrolix.transport;

import dev.distrolix.registry.PushResult;
import dev.distrolix.blob.Digest;

/**
 * What a write produced: the manifest digest (the same for every output kind) and where it
 * went (for a registry, what the push did per blob; else null), in target syntax ({@code oci:/abs/dir:tag}) or as the name an engine loaded it under.
 */
public record WriteResult(Digest manifestDigest, String where, PushResult push) {
    public WriteResult(Digest manifestDigest, String where) {
        this(manifestDigest, where, null);
    }
}
