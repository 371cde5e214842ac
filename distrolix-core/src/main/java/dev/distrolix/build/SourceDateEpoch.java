package dev.distrolix.build;

import dev.distrolix.InputException;
import java.time.Instant;

/** An image's `created` from SOURCE_DATE_EPOCH (reproducible-builds.org), the one clock a build reads. */
final class SourceDateEpoch {
    private SourceDateEpoch() {
    }

    /** SOURCE_DATE_EPOCH from the environment, as {@link #parse} reads it. */
    static Instant fromEnvironment() {
        return parse(System.getenv("SOURCE_DATE_EPOCH"));
    }

    /** The latest `created` an image config's RFC 3339 timestamp can hold: 9999-12-31T23:59:59Z. */
    static final long MAX_SOURCE_DATE_EPOCH = 253_402_300_799L;

    /**
     * SOURCE_DATE_EPOCH's value as `created`: unset or empty means {@link ImageBuild#DEFAULT_CREATED}; anything else must
     * be a non-negative whole number of seconds (digits only, as reproducible-builds.org defines it).
     */
    static Instant parse(String sourceDateEpoch) {
        if (sourceDateEpoch == null || sourceDateEpoch.isBlank()) {
            return ImageBuild.DEFAULT_CREATED;
        }
        if (!sourceDateEpoch.matches("[0-9]{1,12}") || Long.parseLong(sourceDateEpoch) > MAX_SOURCE_DATE_EPOCH) {
            throw new InputException("SOURCE_DATE_EPOCH must be a non-negative whole number of seconds since"
                    + " 1970-01-01 (at most " + MAX_SOURCE_DATE_EPOCH + "), got '" + sourceDateEpoch + "'");
        }
        return Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch));
    }
}
