package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import java.util.List;

/**
 * What a push did: the image (manifest or index digest) under each tag, and each blob's fate —
 * the answer to "did the second push upload anything?".
 */
public record PushResult(String registry, String repository, List<String> tags, Digest digest, String mediaType,
                         List<BlobOutcome> blobs) {
    public PushResult {
        tags = List.copyOf(tags);
        blobs = List.copyOf(blobs);
    }

    /** How a blob got into the repository. */
    public enum Fate { EXISTS, MOUNTED, UPLOADED }

    /** {@code mountedFrom} is the source repository of a mount, else null. */
    public record BlobOutcome(Digest digest, long size, String mediaType, Fate fate, String mountedFrom) {}

    public long count(Fate fate) {
        return blobs.stream().filter(b -> b.fate() == fate).count();
    }

    public long uploadedBytes() {
        return blobs.stream().filter(b -> b.fate() == Fate.UPLOADED).mapToLong(BlobOutcome::size).sum();
    }

    /** {@code docker://host/repo:tag@sha256:…} for the first tag. */
    public String where() {
        return "docker://" + registry + "/" + repository + (tags.isEmpty() ? "" : ":" + tags.get(0)) + "@" + digest;
    }
}
