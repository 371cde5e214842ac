package dev.distrolix.nix.substituter;

import dev.distrolix.NativeLibraries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.tukaani.xz.XZInputStream;

/**
 * xz decoding by the system's liblzma through distrolix's JNI library ({@code src/main/c/distrolix-xz.c},
 * {@code libdistrolix-xz.so}, named by the {@value NativeLibraries#XZ} property that {@code bin/distrolix} sets),
 * for the xz NARs a build from a lock streams into its layers; else org.tukaani.xz's decoder in Java. Both read
 * concatenated streams and nothing after them, and both refuse a stream that needs more than 256 MiB to decode
 * (xz's largest preset takes 65; a header can ask for 1.5 GiB, which a cache's NAR must not make us allocate).
 */
final class XzJni extends InputStream {
    /** "distrolix\n", xz -6: decoded at load, so that a wrong library or binding is never used on a NAR. */
    private static final byte[] SAMPLE = bytes("fd377a585a000004e6d6b4460200210116000000742fe5a301000964697374726f6c69"
            + "780a000000b893cff74ae583d20001220a151ae1671fb6f37d010000000004595a");
    private static final boolean NATIVE = NativeLibraries.usable(NativeLibraries.XZ, XzJni::load);
    /** The most memory a stream may need to be decoded, in KiB (org.tukaani.xz's unit): the C file's MEMORY_LIMIT. */
    static final int MEMORY_LIMIT_KIB = 256 * 1024;

    private final InputStream raw;
    private final byte[] in = new byte[64 * 1024];
    private final int[] counts = new int[2];
    private int inPos;
    private int inLimit;
    private boolean rawEnded;
    private boolean ended;
    private Decoder decoder;

    /** liblzma's decoder of {@code raw}; the library must be loaded ({@link #load}). */
    XzJni(InputStream raw) throws IOException {
        this.raw = raw;
        this.decoder = new Decoder(create());
    }

    private static native String version();

    private static native long create();

    private static native void free(long stream);

    /** MORE (0), END (1), or liblzma's error negated; the bytes consumed and produced are written to counts. */
    private static native int decode(long stream, byte[] in, int inOffset, int inLength, byte[] out, int outOffset,
            int outLength, boolean finish, int[] counts);

    /** A decoder of {@code raw}: liblzma's where the library is named and decodes its sample, else org.tukaani.xz's. */
    static InputStream open(InputStream raw) throws IOException {
        return NATIVE ? new XzJni(raw) : new XZInputStream(raw, MEMORY_LIMIT_KIB);
    }

    /** Loads the library and decodes the sample; throws, saying why, where it cannot be used. */
    static String load(Path path) throws IOException {
        NativeLibraries.load(path);
        try (XzJni sample = new XzJni(new ByteArrayInputStream(SAMPLE))) {
            if (!Arrays.equals(sample.readAllBytes(), "distrolix\n".getBytes(StandardCharsets.US_ASCII))) {
                throw new UnsupportedOperationException("liblzma's self-test failed");
            }
        }
        return version();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (decoder == null) {
            throw new IOException("the xz stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (!ended) {
            if (inPos == inLimit && !rawEnded) {
                int n = raw.read(in, 0, in.length);
                if (n < 0) {
                    rawEnded = true;
                } else {
                    inPos = 0;
                    inLimit = n;
                }
            }
            Decoder d = decoder;
            int rc = decode(d.handle, in, inPos, inLimit - inPos, b, off, len, rawEnded, counts);
            Reference.reachabilityFence(d);
            inPos += counts[0];
            if (rc < 0) {
                throw new IOException(error(-rc));
            }
            ended = rc == 1;
            if (counts[1] > 0) {
                return counts[1];
            }
            if (rawEnded && counts[0] == 0 && !ended) {
                throw new IOException("truncated xz data");
            }
        }
        return -1;
    }

    private static String error(int code) {
        // liblzma's lzma_ret values
        return switch (code) {
            case 5 -> "liblzma is out of memory";
            case 6 -> "the xz stream needs more than 256 MiB to decode";
            case 7 -> "not xz data";
            case 8 -> "unsupported xz options";
            case 9 -> "corrupt xz data";
            case 10 -> "truncated xz data";
            case 100 -> "the JVM gave no array";
            default -> "liblzma failed (" + code + ")";
        };
    }

    @Override
    public void close() throws IOException {
        Decoder d = decoder;
        decoder = null;
        if (d != null) {
            d.cleanable.clean();
        }
        raw.close();
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** One lzma_stream, freed on close or once unreachable. */
    private static final class Decoder {
        final long handle;
        final Cleaner.Cleanable cleanable;

        Decoder(long handle) throws IOException {
            if (handle == 0) {
                throw new IOException("liblzma could not start a decoder");
            }
            this.handle = handle;
            this.cleanable = NativeLibraries.CLEANER.register(this, () -> free(handle));
        }
    }
}
