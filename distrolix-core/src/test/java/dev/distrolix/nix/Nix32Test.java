package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Nix32Test {

    @Test
    void theTableAgreesWithTheAlphabetForEveryCharAndByte() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            assertThat(Nix32.value((char) c)).as("char %d", c).isEqualTo(Nix32.ALPHABET.indexOf(c));
        }
        for (int b = -128; b < 128; b++) {
            assertThat(Nix32.isDigit((byte) b)).as("byte %d", b).isEqualTo(Nix32.ALPHABET.indexOf(b & 0xff) >= 0);
        }
    }

    @Test
    void decodeUndoesEncodeAndReadsNixsOwnRendering() throws Exception {
        Random r = new Random(32);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[i % 2 == 0 ? 20 : 32];
            r.nextBytes(bytes);
            String s = Nix32.encode(bytes);
            assertThat(s).hasSize(bytes.length == 20 ? 32 : 52);
            assertThat(Nix32.decode(s, bytes.length)).isEqualTo(bytes);
        }
        // `nix-hash --type sha256 --to-base32` of the empty string's sha256
        byte[] empty = MessageDigest.getInstance("SHA-256").digest(new byte[0]);
        assertThat(Nix32.decode("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", 32)).isEqualTo(empty);
    }

    @Test
    void decodeRefusesWhatNixWouldNot() {
        String ok = Nix32.encode(new byte[32]);
        assertThatThrownBy(() -> Nix32.decode(ok.substring(1), 32)).hasMessageContaining("has 52 characters");
        assertThatThrownBy(() -> Nix32.decode("e" + ok.substring(1), 32)).hasMessageContaining("not a Nix32 character 'e'");
        assertThatThrownBy(() -> Nix32.decode("\u0130" + ok.substring(1), 32)).hasMessageContaining("not a Nix32 character");
        // the first character carries the last byte's top bit only: 2 and above are bits past 256
        assertThat(Nix32.decode("1" + ok.substring(1), 32)[31]).isEqualTo((byte) 0x80);
        assertThatThrownBy(() -> Nix32.decode("2" + ok.substring(1), 32)).hasMessageContaining("out of range");
    }

    @Test
    void aHashPartIs32CharactersOfTheAlphabet() {
        assertThat(Nix32.isHashPart("0c7d8ba2ha1cd7zvpzw4d6kq1bixdzq8")).isTrue();
        assertThat(Nix32.isHashPart("0c7d8ba2ha1cd7zvpzw4d6kq1bixdzq")).isFalse();
        assertThat(Nix32.isHashPart("0c7d8ba2ha1cd7zvpzw4d6kq1bixdzq8a")).isFalse();
        assertThat(Nix32.isHashPart("0c7d8ba2ha1cd7zvpzw4d6kq1bixdzqe")).isFalse(); // e is not in the alphabet
        assertThat(Nix32.isHashPart("0c7d8ba2ha1cd7zvpzw4d6kq1bixdzqA")).isFalse();
        assertThat(Nix32.isHashPart("0c7d8ba2ha1cd7zvpzw4d6kq1bixdzq\u0100")).isFalse();
    }
}
