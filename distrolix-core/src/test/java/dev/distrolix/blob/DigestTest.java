package dev.distrolix.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void acceptsOnlySixtyFourLowercaseHexDigits() {
        assertThat(Digest.parse("sha256:" + ABC).hex()).isEqualTo(ABC);
        for (String bad : new String[] {ABC.toUpperCase(), ABC.substring(1), ABC + "0", ABC.replace('b', 'g'),
            ABC.replace('f', ':'), ""}) {
            assertThatThrownBy(() -> Digest.parse("sha256:" + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a sha256 digest");
        }
        assertThatThrownBy(() -> Digest.parse("sha512:" + ABC)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachNewSha256IsItsOwn() {
        MessageDigest a = Digest.newSha256();
        MessageDigest b = Digest.newSha256();
        assertThat(a).isNotSameAs(b);
        a.update("ab".getBytes(StandardCharsets.UTF_8));
        b.update("xyz".getBytes(StandardCharsets.UTF_8)); // does not disturb a
        a.update("c".getBytes(StandardCharsets.UTF_8));
        assertThat(Digest.ofSha256(a).hex()).isEqualTo(ABC);
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)).hex()).isEqualTo(ABC);
        assertThat(Digest.ofSha256(Digest.newSha256()).hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
