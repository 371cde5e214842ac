package dev.distrolix.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * What a tag held when one of this run's clients last read or pushed it, for a few seconds: a fresh runner reads its
 * target's image while Nix evaluates (to take its layers), and its push would read the same tag again on its own
 * path, a round trip. A push believes a recent read only where it says the tag holds another image (the push goes
 * ahead, as it would after its own read: the manifest it puts replaces whatever is there, and the blobs the read
 * named were tagged seconds ago); that the tag holds this very image, which would end the push, is always read again.
 * Keyed as {@link Pings} are, by the credential store too (what one may read, another may not).
 */
final class TagReads {
    static final Duration FRESH = Duration.ofSeconds(10);
    private static final Recent<Key, Read> READS = new Recent<>(FRESH, 256);

    private TagReads() {}

    record Key(String registry, String repository, String tag, CredentialStore credentials) {
        // Written out, as Pings.Key is: the credential store compared as the object it is.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && registry.equals(k.registry) && repository.equals(k.repository)
                    && tag.equals(k.tag) && credentials == k.credentials;
        }

        @Override
        public int hashCode() {
            return (registry.hashCode() * 31 + repository.hashCode()) * 31 + tag.hashCode();
        }
    }

    /** The manifest under the tag (empty: none), as read or pushed. */
    record Read(Optional<ManifestBytes> manifest) {}

    static Read recent(Key key) {
        return recent(key, System.nanoTime());
    }

    static Read recent(Key key, long nowNanos) {
        return READS.get(key, nowNanos);
    }

    static void remember(Key key, Optional<ManifestBytes> manifest) {
        remember(key, manifest, System.nanoTime());
    }

    static void remember(Key key, Optional<ManifestBytes> manifest, long now) {
        READS.put(key, new Read(manifest), now);
    }

    /** Whether {@code reference} is a tag (a digest names content, not a place that changes). */
    static boolean isTag(String reference) {
        return reference.indexOf(':') < 0;
    }
}
