package dev.distrolix.blob;

import dev.distrolix.NativeLibraries;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 by the system's OpenSSL through distrolix's own small JNI library ({@code src/main/c/distrolix-crypto.c},
 * built by distrolix-core's pom as {@code libdistrolix-crypto.so} and named by the {@value NativeLibraries#CRYPTO}
 * property, which {@code bin/distrolix} sets), as a {@link MessageDigest} that {@link Digest#newSha256()} hands
 * out in place of the JDK's.
 *
 * <p>Why: the JDK's SHA-256 uses the CPU's SHA instructions only from code its JIT's C2 compiler has made; a fresh
 * JVM runs it as Java for its first few hundred milliseconds (~150 MB/s against ~1.5 GB/s), while the compilers
 * are busy with everything else, and a short build hashes most of its layers in that time. OpenSSL's assembly
 * runs at full speed from the first byte. Each instance owns an EVP_MD_CTX, freed by a cleaner once the instance
 * is unreachable.
 */
final class Sha256Jni extends MessageDigest implements Cloneable {
    private static final int LENGTH = 32;

    private final String version;
    private Context context;

    private Sha256Jni(String version, Context context) {
        super("SHA-256");
        this.version = version;
        this.context = context;
    }

    private static native String version();

    /** A context ready for data; 0 where OpenSSL has no SHA-256 or no memory. */
    private static native long create();

    private static native long copy(long context);

    private static native void free(long context);

    private static native boolean reset(long context);

    private static native boolean update(long context, byte[] data, int offset, int len);

    /** Writes the digest into {@code out} and starts the context again. */
    private static native boolean finish(long context, byte[] out);

    /**
     * Loads the library {@code path} names and checks its digests against the standard's known answers; throws,
     * saying why, where it cannot be used.
     */
    static Sha256Jni load(Path path) {
        NativeLibraries.load(path);
        Sha256Jni sha = fresh();
        selfTest(sha);
        return sha;
    }

    /** A new digest; the library must be loaded ({@link #load}). */
    static Sha256Jni fresh() {
        return new Sha256Jni(version(), new Context(create()));
    }

    /**
     * FIPS 180-4's examples (one block, two blocks) and the empty input, whole and in pieces around a copy: a
     * wrong binding or a broken library is refused before it digests anything of a user's.
     */
    static void selfTest(MessageDigest sha) {
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        String twoBlocks = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        String empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        byte[] message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);
        check(sha.digest("abc".getBytes(StandardCharsets.US_ASCII)), abc);
        check(sha.digest(message), twoBlocks);
        check(sha.digest(), empty);
        sha.update(message, 0, 3);
        MessageDigest copy;
        try {
            copy = (MessageDigest) sha.clone();
        } catch (CloneNotSupportedException e) {
            throw new UnsupportedOperationException(e);
        }
        sha.update(message, 3, message.length - 3);
        check(copy.digest(), abc);
        check(sha.digest(), twoBlocks);
    }

    private static void check(byte[] digest, String expected) {
        if (!HexFormat.of().formatHex(digest).equals(expected)) {
            throw new UnsupportedOperationException("SHA-256 self-test failed");
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        Objects.checkFromIndexSize(offset, len, input.length);
        Context c = context;
        boolean ok = len == 0 || update(c.handle, input, offset, len);
        Reference.reachabilityFence(c); // not freed while in use: this digest may be unreachable already
        if (!ok) {
            throw new IllegalStateException("OpenSSL's SHA-256 update failed");
        }
    }

    @Override
    protected byte[] engineDigest() {
        byte[] out = new byte[LENGTH];
        Context c = context;
        boolean ok = finish(c.handle, out);
        Reference.reachabilityFence(c);
        if (!ok) {
            throw new IllegalStateException("OpenSSL's SHA-256 final failed");
        }
        return out;
    }

    @Override
    protected void engineReset() {
        Context c = context;
        boolean ok = reset(c.handle);
        Reference.reachabilityFence(c);
        if (!ok) {
            throw new IllegalStateException("OpenSSL's SHA-256 init failed");
        }
    }

    @Override
    protected int engineGetDigestLength() {
        return LENGTH;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        Sha256Jni twin = (Sha256Jni) super.clone();
        Context c = context;
        twin.context = new Context(copy(c.handle));
        Reference.reachabilityFence(c);
        return twin;
    }

    @Override
    public String toString() {
        return "SHA-256 (" + version + ", libdistrolix-crypto.so)";
    }

    /** One EVP_MD_CTX, freed once unreachable. */
    private static final class Context {
        final long handle;

        Context(long handle) {
            if (handle == 0) {
                throw new IllegalStateException("OpenSSL gave no SHA-256 context");
            }
            this.handle = handle;
            NativeLibraries.CLEANER.register(this, () -> free(handle));
        }
    }
}
