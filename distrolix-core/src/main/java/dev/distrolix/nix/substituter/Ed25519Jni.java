package dev.distrolix.nix.substituter;

import dev.distrolix.NativeLibraries;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Ed25519 verification by the system's OpenSSL through distrolix's crypto library ({@code libdistrolix-crypto.so},
 * named by the {@value NativeLibraries#CRYPTO} property that {@code bin/distrolix} sets), for the narinfo signatures a
 * build from a lock checks, one per store path; else the JDK's. Why: the JDK's Ed25519 is Java (its field
 * arithmetic interpreted until the JIT compiles it), ~1 ms a signature in a fresh JVM: a lock of 3,001 paths
 * spent ~3 s of CPU verifying them; OpenSSL's takes ~0.05 ms.
 */
final class Ed25519Jni {
    /** Whether OpenSSL's verification is used: the library is named and passes RFC 8032's first test. */
    static final boolean NATIVE = NativeLibraries.usable(NativeLibraries.CRYPTO, Ed25519Jni::load);

    private Ed25519Jni() {
    }

    /** 1: the signature is the key's over the message; 0: it is not; negative: OpenSSL failed. */
    static native int verify(byte[] publicKey, byte[] message, byte[] signature);

    /**
     * Loads the library and checks RFC 8032's first test (the empty message): its signature verifies, and with
     * one bit changed it does not. Throws, saying why, where it cannot be used.
     */
    static void load(Path path) {
        NativeLibraries.load(path);
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig = hex.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
                + "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        boolean good = verify(key, new byte[0], sig) == 1;
        sig[10] ^= 1;
        if (!good || verify(key, new byte[0], sig) != 0) {
            throw new UnsupportedOperationException("Ed25519 self-test failed");
        }
    }
}
