package dev.distrolix.blob;

import dev.distrolix.NativeLibraries;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Raw deflate decoding by the system's ISA-L (igzip) through distrolix's JNI library ({@code
 * src/main/c/distrolix-isal.c}, {@code libdistrolix-isal.so}, named by the {@value NativeLibraries#ISAL} property that
 * {@code bin/distrolix} sets): ~2.5x zlib's speed on the same data, which a fresh runner's check of every layer it takes
 * from a registry, and any read of a gzip image, spend most of their CPU on. The same bytes out (any correct inflater
 * gives them; a layer's tar is checked against its diff_id besides).
 */
final class IsalInflater implements RawInflater {
    /** {@code printf 'distrolix\n%.0s' {1..40} | gzip -9n | tail -c +11 | head -c -8}: back-references, a final block. */
    private static final byte[] SAMPLE = HexFormat.of().parseHex("4bc92c2e29cacfc9ace04a19650d021600");
    static final boolean USABLE = NativeLibraries.usable(NativeLibraries.ISAL, IsalInflater::check);

    private final State state;
    private final int[] counts = new int[3];
    /** Bytes read ahead past the deflate data from an earlier input: {@code tail[0, tailLength)}. */
    private final byte[] tail = new byte[8];
    private int tailLength;
    private byte[] input = new byte[0];
    private int inPos;
    private int inLimit;
    private boolean finished;
    /** The last call filled its output: ISA-L may hold decoded bytes or read-ahead input still, and is asked again. */
    private boolean outputFull;

    IsalInflater() {
        long handle = create();
        if (handle == 0) {
            throw new OutOfMemoryError("ISA-L's inflate state");
        }
        this.state = new State(handle);
    }

    private static native long create();

    private static native void reset(long state);

    private static native void free(long state);

    /**
     * 0 more to come, 1 the end of the deflate data, or ISA-L's error (negative); bytes used and made in counts[0..1];
     * at the end, the bytes read ahead past the deflate data from earlier inputs in tail, their number in counts[2].
     */
    private static native int inflate(long state, byte[] in, int inOffset, int inLength, byte[] out, int outOffset,
            int outLength, int[] counts, byte[] tail);

    /** Loads the library and decodes the sample; throws, saying why, where it cannot be used. */
    static void check(Path path) throws IOException {
        NativeLibraries.load(path);
        IsalInflater sample = new IsalInflater();
        try {
            byte[] out = new byte[512];
            sample.setInput(SAMPLE, 0, SAMPLE.length);
            int n = sample.inflate(out, 0, out.length);
            byte[] expected = "distrolix\n".repeat(40).getBytes(StandardCharsets.US_ASCII);
            if (!sample.finished() || !Arrays.equals(Arrays.copyOf(out, n), expected)) {
                throw new UnsupportedOperationException("ISA-L's self-test failed");
            }
        } finally {
            sample.end();
        }
    }

    @Override
    public void setInput(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        input = b;
        inPos = off;
        inLimit = off + len;
    }

    @Override
    public int inflate(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished || len == 0) {
            return 0;
        }
        int rc = inflate(state.handle, input, inPos, inLimit - inPos, b, off, len, counts, tail);
        Reference.reachabilityFence(state);
        inPos += counts[0];
        outputFull = counts[1] == len;
        if (rc < 0) {
            throw new IOException("Gzip-compressed data is corrupt (" + error(rc) + ")");
        }
        finished = rc == 1;
        tailLength = finished ? counts[2] : 0;
        if (!finished && counts[0] == 0 && counts[1] == 0 && inPos < inLimit) {
            throw new IOException("ISA-L used none of the input it was given"); // never loop on it
        }
        return counts[1];
    }

    private static String error(int code) {
        return switch (code) {
            case -1 -> "invalid deflate block";
            case -2 -> "invalid deflate symbol";
            case -3 -> "invalid back-reference distance";
            case -100 -> "the JVM gave no array";
            case -101 -> "a deflate stream asks for a dictionary";
            default -> "ISA-L failed (" + code + ")";
        };
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public boolean needsInput() {
        return !finished && inPos == inLimit && !outputFull;
    }

    @Override
    public int remaining() {
        return inLimit - inPos;
    }

    @Override
    public byte[] readAhead() {
        return Arrays.copyOf(tail, tailLength);
    }

    @Override
    public void reset() {
        reset(state.handle);
        Reference.reachabilityFence(state);
        finished = false;
        outputFull = false;
        tailLength = 0;
        input = new byte[0]; // as the JDK's: input given before the reset is not used after it
        inPos = 0;
        inLimit = 0;
    }

    @Override
    public void end() {
        state.cleanable.clean();
    }

    /** One inflate_state, freed by {@link #end} or once unreachable. */
    private static final class State {
        final long handle;
        final Cleaner.Cleanable cleanable;

        State(long handle) {
            this.handle = handle;
            this.cleanable = NativeLibraries.CLEANER.register(this, () -> free(handle));
        }
    }
}
