package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a tag held is given back for its key only, for ten seconds; a digest is not a tag. */
class TagReadsTest {
    @Test
    void aReadIsForItsTagAndStoreAndForTenSeconds() {
        CredentialStore store = CredentialStore.of(Map.of(), Path.of("/nonexistent-home"));
        String registry = "tag-reads-test.example:" + System.nanoTime();
        TagReads.Key key = new TagReads.Key(registry, "web", "1", store);
        long now = 7_000_000_000L;
        TagReads.remember(key, Optional.empty(), now);
        TagReads.Read r = TagReads.recent(new TagReads.Key(registry, "web", "1", store), now + TagReads.FRESH.toNanos() - 1);
        assertThat(r).isNotNull();
        assertThat(r.manifest()).as("the tag held nothing").isEmpty();
        assertThat(TagReads.recent(key, now + TagReads.FRESH.toNanos())).as("ten seconds on").isNull();
        assertThat(TagReads.recent(new TagReads.Key(registry, "web", "2", store), now)).as("another tag").isNull();
        assertThat(TagReads.recent(new TagReads.Key(registry, "app", "1", store), now)).as("another repository").isNull();
        CredentialStore another = CredentialStore.of(Map.of(), Path.of("/nonexistent-home"));
        assertThat(TagReads.recent(new TagReads.Key(registry, "web", "1", another), now)).as("another store").isNull();

        assertThat(TagReads.isTag("1.2-rc")).isTrue();
        assertThat(TagReads.isTag("sha256:" + "a".repeat(64))).isFalse();
    }
}
