package dev.distrolix.copy;

import dev.distrolix.blob.Digest;
import dev.distrolix.registry.PushResult;

/**
 * What a copy did: from where, to where (target syntax), the manifest or index digest, and for a
 * registry destination the push's per-blob outcome (else null).
 */
public record CopyResult(String source, String target, Digest digest, PushResult push) {}
