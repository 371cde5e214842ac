package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** SOURCE_DATE_EPOCH: a non-negative whole number of seconds, or unset. */
class CreatedTest {
    @Test
    void unsetOrEmptyIsTheDefault() {
        assertThat(SourceDateEpoch.parse(null)).isEqualTo(ImageBuild.DEFAULT_CREATED);
        assertThat(SourceDateEpoch.parse("")).isEqualTo(ImageBuild.DEFAULT_CREATED);
    }

    @Test
    void secondsSince1970() {
        assertThat(SourceDateEpoch.parse("0")).isEqualTo(Instant.EPOCH);
        assertThat(SourceDateEpoch.parse("1700000000")).isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
        assertThat(SourceDateEpoch.parse("253402300799")).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void anythingElseIsOneClearInputError() {
        for (String bad : new String[] {"-5", "abc", "1.5", "+5", " 5", "1e9", "253402300800", "99999999999999999999"}) {
            assertThatThrownBy(() -> SourceDateEpoch.parse(bad)).as(bad)
                    .isInstanceOf(InputException.class)
                    .hasMessage("SOURCE_DATE_EPOCH must be a non-negative whole number of seconds since 1970-01-01"
                            + " (at most 253402300799), got '" + bad + "'");
        }
    }
}
