package dev.distrolix.sign.keys;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20-Poly1305), which cosign's key files use. Neither the JDK
 * (its ChaCha20-Poly1305 is another cipher) nor BouncyCastle has it, only its parts, composed here as
 * NaCl does: the first 32 bytes of the XSalsa20 keystream are the one-time Poly1305 key, the following
 * ones encrypt the message, and the box is {@code tag(16) ‖ ciphertext} (libsodium's "easy" layout,
 * golang.org/x/crypto/nacl/secretbox's too).
 */
public final class SecretBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private SecretBox() {}

    /** Encrypts and authenticates {@code message}: {@code tag ‖ ciphertext}, 16 bytes longer. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] message) {
        XSalsa20Engine stream = stream(key, nonce);
        byte[] macKey = keystream(stream, 32);
        byte[] box = new byte[TAG_BYTES + message.length];
        stream.processBytes(message, 0, message.length, box, TAG_BYTES);
        byte[] tag = tag(macKey, box, TAG_BYTES, message.length);
        System.arraycopy(tag, 0, box, 0, TAG_BYTES);
        Arrays.fill(macKey, (byte) 0);
        return box;
    }

    /**
     * The message of a box, or empty when the box was not sealed with this key and nonce (or was
     * altered): the tag is checked, in constant time, before anything is decrypted.
     */
    public static Optional<byte[]> open(byte[] key, byte[] nonce, byte[] box) {
        if (box.length < TAG_BYTES) {
            return Optional.empty();
        }
        XSalsa20Engine stream = stream(key, nonce);
        byte[] macKey = keystream(stream, 32);
        byte[] expected = tag(macKey, box, TAG_BYTES, box.length - TAG_BYTES);
        Arrays.fill(macKey, (byte) 0);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(box, 0, TAG_BYTES))) {
            return Optional.empty();
        }
        byte[] message = new byte[box.length - TAG_BYTES];
        stream.processBytes(box, TAG_BYTES, message.length, message, 0);
        return Optional.of(message);
    }

    private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
        if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("secretbox takes a 32-byte key and a 24-byte nonce");
        }
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    /** The next {@code n} keystream bytes (the encryption of zeros). */
    private static byte[] keystream(XSalsa20Engine stream, int n) {
        byte[] out = new byte[n];
        stream.processBytes(new byte[n], 0, n, out, 0);
        return out;
    }

    /** Poly1305 used bare (no block cipher): NaCl's one-time authenticator. */
    private static byte[] tag(byte[] macKey, byte[] data, int offset, int length) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(data, offset, length);
        byte[] tag = new byte[TAG_BYTES];
        mac.doFinal(tag, 0);
        return tag;
    }
}
