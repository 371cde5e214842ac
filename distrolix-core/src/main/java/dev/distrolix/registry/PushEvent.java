package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import java.time.Duration;
import java.util.List;

/** What a push is doing, for progress displays (docker push style) and logs. */
public sealed interface PushEvent {
    /** The fate of a blob as a push goes. */
    enum State {
        /** queued behind other uploads */
        WAITING,
        /** being compressed before it can be pushed (its id is the uncompressed diff_id until then) */
        COMPRESSING,
        /** being uploaded; {@code done} counts bytes */
        UPLOADING,
        /** the registry already had it (HEAD answered 200): nothing sent */
        EXISTS,
        /** linked from another repository of the same registry: nothing sent */
        MOUNTED,
        /** sent and accepted */
        UPLOADED,
        /** failed for good; the push fails */
        FAILED;

        public boolean isFinal() {
            return this == EXISTS || this == MOUNTED || this == UPLOADED || this == FAILED;
        }
    }

    /** A push begins; {@code blobs} are the layers and config in manifest order. */
    record Started(String target, List<Blob> blobs) implements PushEvent {
        public Started {
            blobs = List.copyOf(blobs);
        }
    }

    /** A blob to push: its digest, size and kind ("layer" or "config"). */
    record Blob(Digest digest, long size, String kind) {}

    /**
     * A blob changed state or made progress. {@code detail} is the source repository of a mount,
     * the digest a compression produced, or the reason of a failure; otherwise null.
     */
    record BlobUpdate(Digest digest, long size, State state, long done, String detail) implements PushEvent {}

    /** A request failed and will be tried again after {@code delay}; {@code digest} is null for non-blob requests. */
    record Retrying(Digest digest, int failedAttempt, Duration delay, String reason) implements PushEvent {}

    /** A manifest or index is in the registry under {@code reference} (a tag or its digest). */
    record ManifestPushed(String reference, Digest digest, String mediaType) implements PushEvent {}

    /** The push completed. */
    record Finished(PushResult result) implements PushEvent {}

    /** Every tag already names this manifest: nothing was sent (a registry keeps a manifest's blobs). */
    record Unchanged(List<String> references, Digest digest) implements PushEvent {}
}
