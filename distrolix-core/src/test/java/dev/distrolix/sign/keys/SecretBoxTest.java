package dev.distrolix.sign.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    /*
     * NaCl's secretbox test (the distribution's tests/secretbox.c; libsodium test/default/secretbox.c and
     * secretbox_easy.exp): firstkey, nonce, the 131-byte message after NaCl's 32 zero bytes, and the
     * expected box, tag ‖ ciphertext (libsodium's crypto_secretbox_easy output).
     */
    static final byte[] KEY = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    static final byte[] NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    static final byte[] MESSAGE = hex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffc"
            + "e5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa134"
            + "8057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f9"
            + "37763848645e0705");
    static final byte[] BOX = hex("f3ffc7703f9400e52a7dfb4b3d3305d9"
            + "8e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c972"
            + "71d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da"
            + "99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void sealsNaclsVector() {
        assertThat(MESSAGE).hasSize(131);
        assertThat(BOX).hasSize(147);
        assertThat(SecretBox.seal(KEY, NONCE, MESSAGE)).isEqualTo(BOX);
    }

    @Test
    void opensNaclsVector() {
        assertThat(SecretBox.open(KEY, NONCE, BOX)).hasValueSatisfying(m -> assertThat(m).isEqualTo(MESSAGE));
    }

    @Test
    void roundTripsEveryLengthAroundTheKeystreamBlocks() {
        Random random = new Random(7);
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        random.nextBytes(key);
        random.nextBytes(nonce);
        for (int length : new int[] {0, 1, 15, 16, 31, 32, 33, 63, 64, 65, 200, 1000}) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            byte[] box = SecretBox.seal(key, nonce, message);
            assertThat(box).hasSize(length + 16);
            assertThat(SecretBox.open(key, nonce, box)).hasValueSatisfying(m -> assertThat(m).isEqualTo(message));
        }
    }

    @Test
    void refusesEveryAlteredByteAndAnotherKeyOrNonce() {
        for (int i = 0; i < BOX.length; i++) {
            byte[] altered = BOX.clone();
            altered[i] ^= 0x01;
            assertThat(SecretBox.open(KEY, NONCE, altered)).as("byte %d flipped", i).isEmpty();
        }
        byte[] otherKey = KEY.clone();
        otherKey[31] ^= 0x80;
        assertThat(SecretBox.open(otherKey, NONCE, BOX)).isEmpty();
        byte[] otherNonce = NONCE.clone();
        otherNonce[23] ^= 0x80; // the part of the nonce XSalsa20 feeds to Salsa20, not HSalsa20
        assertThat(SecretBox.open(KEY, otherNonce, BOX)).isEmpty();
        assertThat(SecretBox.open(KEY, NONCE, new byte[15])).isEmpty();
        assertThat(SecretBox.open(KEY, NONCE, java.util.Arrays.copyOf(BOX, 100))).as("truncated").isEmpty();
    }

    @Test
    void refusesWrongKeyOrNonceSizes() {
        assertThatThrownBy(() -> SecretBox.seal(new byte[16], NONCE, MESSAGE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.open(KEY, new byte[12], BOX)).isInstanceOf(IllegalArgumentException.class);
    }
}
