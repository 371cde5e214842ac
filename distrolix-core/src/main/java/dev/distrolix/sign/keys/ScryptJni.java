package dev.distrolix.sign.keys;

import dev.distrolix.NativeLibraries;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * scrypt by the system's OpenSSL through distrolix's JNI library ({@code src/main/c/distrolix-crypto.c},
 * {@code libdistrolix-crypto.so}, named by the {@value NativeLibraries#CRYPTO} property that {@code bin/distrolix}
 * sets), else BouncyCastle's. Why: cosign's key files take scrypt at N=32768, r=8: ~0.3 s of a fresh JVM's CPU
 * in BouncyCastle's Java (interpreted, then compiled while it runs) and 32 MB on the Java heap, which a signing
 * build pays beside its own work; OpenSSL's takes a fraction of that and frees its memory when done.
 */
final class ScryptJni {
    /** Whether OpenSSL's scrypt is used: the library is named and passes its self-test. */
    private static final boolean NATIVE = NativeLibraries.usable(NativeLibraries.CRYPTO, ScryptJni::load);

    private ScryptJni() {
    }

    /** scrypt into {@code out} (its whole length, at most 256 bytes); false where OpenSSL refuses. */
    static native boolean derive(byte[] password, byte[] salt, int n, int r, int p, byte[] out);

    /** scrypt(password, salt, n, r, p) of {@code length} bytes, by OpenSSL where it can, else BouncyCastle. */
    static byte[] scrypt(byte[] password, byte[] salt, int n, int r, int p, int length) {
        if (NATIVE) {
            byte[] out = new byte[length];
            if (derive(password, salt, n, r, p, out)) {
                return out;
            }
        }
        return SCrypt.generate(password, salt, n, r, p, length);
    }

    /** Loads the library and checks RFC 7914's first test vector; throws, saying why, where it cannot be used. */
    static void load(Path path) {
        NativeLibraries.load(path);
        byte[] out = new byte[64];
        if (!derive(new byte[0], new byte[0], 16, 1, 1, out) || !HexFormat.of().formatHex(out).equals(
                "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")) {
            throw new UnsupportedOperationException("scrypt self-test failed");
        }
    }
}
