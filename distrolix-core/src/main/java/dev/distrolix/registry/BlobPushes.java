package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import dev.distrolix.registry.PushEvent.State;
import dev.distrolix.registry.PushResult.BlobOutcome;
import dev.distrolix.registry.PushResult.Fate;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gets every blob of a push into the repository, a bounded number at a time. Per blob, each
 * attempt goes: {@code HEAD} (present → done, nothing sent) → mount from a repository of the
 * same registry known to have it, asked at once (201 → done; 202 → upload into that session) → upload; a blob
 * {@linkplain ImagePusher.Expect#NEW likely new} goes straight to the upload on its first attempt. A
 * failed attempt (reset, 5xx, 429…) starts over with the HEAD, so a blob that did arrive is not
 * sent twice. The first blob that fails for good cancels the others. A blob the tag's current manifest names
 * is there already (a registry keeps what a tagged manifest names): done on the first attempt without a request;
 * a {@linkplain #SMALL small} one it does not name is taken as likely new.
 */
final class BlobPushes {
    /** Mount sources tried per blob before uploading. */
    static final int MAX_MOUNT_TRIES = 2;
    /**
     * A blob this small that the tag's current image does not name is most likely new: the config of a changed image,
     * the layer of an edited file. Its first attempt uploads without asking first, as a {@linkplain
     * ImagePusher.Expect#NEW likely new} one's does: the HEAD would cost a round trip, about what sending 64 KiB
     * costs across a network, and sending one the registry has does no harm. (Under a new tag nothing is known, and
     * an image pushed again under another tag has its blobs there already: each is asked as before; so is one that
     * can be mounted, or one expected there whose bytes are not at hand.)
     */
    static final long SMALL = 64 * 1024;

    private final Repository repo;
    private final BlobLocations locations;
    private final RegistrySettings settings;
    private final PushListener listener;
    private final Set<Digest> tagged;

    BlobPushes(Repository repo, BlobLocations locations, RegistrySettings settings) {
        this(repo, locations, settings, Set.of());
    }

    /** @param tagged blobs the target tag's manifest names now */
    BlobPushes(Repository repo, BlobLocations locations, RegistrySettings settings, Set<Digest> tagged) {
        this.repo = repo;
        this.locations = locations;
        this.settings = settings;
        this.listener = settings.listener();
        this.tagged = Set.copyOf(tagged);
    }

    List<BlobOutcome> pushAll(List<ImagePusher.Blob> blobs) throws IOException {
        if (blobs.isEmpty()) {
            return List.of();
        }
        for (ImagePusher.Blob b : blobs) {
            emit(b, State.WAITING, 0, null);
        }
        return dev.distrolix.Workers.shared().forEach(blobs, settings.parallelUploads(), this::pushOne);
    }

    private BlobOutcome pushOne(ImagePusher.Blob b) throws IOException {
        Digest d = b.descriptor().digest();
        try {
            BlobOutcome o = settings.retry().run(attempt -> attempt(b, attempt), repo.client().retryListener(d));
            locations.add(d, repo.name());
            return o;
        } catch (IOException | RuntimeException e) {
            emit(b, State.FAILED, 0, e.getMessage());
            throw e;
        }
    }

    private BlobOutcome attempt(ImagePusher.Blob b, int attempt) throws IOException {
        Digest d = b.descriptor().digest();
        long size = b.descriptor().size();
        if (attempt == 1 && tagged.contains(d)) {
            emit(b, State.EXISTS, size, null);
            return outcome(b, Fate.EXISTS, null);
        }
        if (attempt == 1 && (b.expect() == ImagePusher.Expect.NEW || (b.expect() == ImagePusher.Expect.UNKNOWN
                && !tagged.isEmpty() && size <= SMALL && b.mountFrom().isEmpty()))) {
            return upload(b, null); // a later attempt asks first: the failed one may have stored it
        }
        if (repo.blobSizeOnce(d).isPresent()) {
            emit(b, State.EXISTS, size, null);
            return outcome(b, Fate.EXISTS, null);
        }
        Repository.UploadStart session = null;
        int tries = 0;
        for (String from : mountSources(b)) {
            if (tries++ >= MAX_MOUNT_TRIES) {
                break;
            }
            try {
                // a remembered location is tried at once: one gone stale (e.g. another registry on this port) answers
                // the mount with an upload session, used below; a later attempt asks it first, so that it is no try
                if (attempt > 1 && !b.mountFrom().contains(from)
                        && repo.client().repository(from, false).blobSizeOnce(d).isEmpty()) {
                    tries--;
                    continue;
                }
                Repository.UploadStart s = repo.mountOnce(d, from);
                if (s.mounted()) {
                    emit(b, State.MOUNTED, size, from);
                    return outcome(b, Fate.MOUNTED, from);
                }
                session = s; // 202: the registry opened an ordinary upload instead; use it
                break;
            } catch (RegistryException e) {
                if (RetryPolicy.isRetryable(e)) {
                    throw e;
                }
                // not allowed to read the source, or it is gone: try the next, then upload
            }
        }
        return upload(b, session);
    }

    /** Uploads {@code b} into {@code session} (null: a new one). */
    private BlobOutcome upload(ImagePusher.Blob b, Repository.UploadStart session) throws IOException {
        AtomicLong sent = new AtomicLong();
        long size = b.descriptor().size();
        emit(b, State.UPLOADING, 0, null);
        new BlobUploader(repo, settings.chunkSize()).upload(b.descriptor().digest(), size, b.content(), session,
                delta -> {
                    long now = sent.addAndGet(delta);
                    emit(b, State.UPLOADING, now, null);
                });
        emit(b, State.UPLOADED, size, null);
        return outcome(b, Fate.UPLOADED, null);
    }

    /** The request's own sources first (e.g. the repository a copy reads from), then remembered ones. */
    private List<String> mountSources(ImagePusher.Blob b) {
        Set<String> sources = new LinkedHashSet<>(b.mountFrom());
        sources.addAll(locations.repositoriesWith(b.descriptor().digest()));
        sources.remove(repo.name());
        return new ArrayList<>(sources);
    }

    private static BlobOutcome outcome(ImagePusher.Blob b, Fate fate, String from) {
        return new BlobOutcome(b.descriptor().digest(), b.descriptor().size(), b.descriptor().mediaType(), fate, from);
    }

    private void emit(ImagePusher.Blob b, State state, long done, String detail) {
        listener.on(new PushEvent.BlobUpdate(b.descriptor().digest(), b.descriptor().size(), state, done, detail));
    }
}
