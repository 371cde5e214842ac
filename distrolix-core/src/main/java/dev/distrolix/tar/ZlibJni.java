package dev.distrolix.tar;

import dev.distrolix.NativeLibraries;
import java.nio.file.Path;

/**
 * Deflates blocks with the system's zlib through distrolix's own small JNI library
 * ({@code src/main/c/distrolix-zlib.c}, built by distrolix-core's pom as {@code libdistrolix-zlib.so} and
 * named by the {@value #LIBRARY_PROPERTY} property, which {@code bin/distrolix} sets), the way the JDK's
 * {@code Deflater(level, true)} does with the zlib it bundles. {@link SystemZlib} decides whether it is used
 * and checks its bytes first.
 *
 * <p>Why JNI beside the foreign function API ({@code SystemZlibDeflater}): it loads in under a millisecond on any
 * Java from 17, where binding through the foreign function API costs a fresh JVM ~0.3 s of CPU (its method
 * handles spun and compiled), so only builds of 32 MiB and more took that one; this one serves every gzip
 * build from its first blocks. Each executor thread keeps a z_stream per level, as the JDK's path keeps a
 * {@code Deflater}; a cleaner frees it when the thread's streams are unreachable.
 */
final class ZlibJni implements BlockDeflater {
    /** The library's path; without it (a library user's JVM) this class is not used. */
    static final String LIBRARY_PROPERTY = NativeLibraries.ZLIB;
    private static final int DICTIONARY = ParallelGzipOutputStream.DICTIONARY;

    private final String version;
    private final StreamsByLevel<Stream> streams = new StreamsByLevel<>(Stream::new);

    private ZlibJni(String version) {
        this.version = version;
    }

    private static native String version();

    /** A z_stream set up by deflateInit2 at {@code level}; 0 where it could not be. */
    private static native long init(int level);

    private static native void end(long stream);

    /** The compressed length written to {@code out}, or a negative code (the C file says which). */
    private static native int deflate(long stream, byte[] dictionary, int dictionaryOffset, byte[] data, int len,
            boolean last, byte[] out);

    /**
     * Loads the library {@code path} names and checks the zlib it is linked to; throws, saying why, where it
     * cannot be used. Where the JVM restricts native access (Java 22 and later) it must be enabled: loading a
     * library would otherwise print the JVM's warning.
     */
    static BlockDeflater load(Path path) {
        NativeLibraries.load(path);
        String v = version();
        SystemZlib.checkVersion(v);
        return new ZlibJni(v);
    }

    @Override
    public String toString() {
        return "zlib " + version + " (libdistrolix-zlib.so)";
    }

    @Override
    public ParallelGzipOutputStream.Compressed compress(int level, byte[] dictionary, byte[] data, int len,
            boolean last) {
        BlockDeflater.checkBlock(dictionary, data, len);
        byte[] out = new byte[BlockDeflater.room(len)];
        int dictionaryOffset = dictionary == null ? 0 : dictionary.length - DICTIONARY;
        int n = deflate(streams.get(level).handle, dictionary, dictionaryOffset, data, len, last, out);
        if (n < 0) {
            throw new IllegalStateException("zlib's deflate failed (" + n + ", see distrolix-zlib.c)");
        }
        return new ParallelGzipOutputStream.Compressed(out, n);
    }

    /** One thread's z_stream at one level, ended (deflateEnd, free) once unreachable. */
    private static final class Stream {
        final long handle;

        Stream(int level) {
            long h = init(level);
            if (h == 0) {
                throw new IllegalStateException("zlib's deflateInit2 failed at level " + level);
            }
            handle = h;
            NativeLibraries.CLEANER.register(this, () -> end(h));
        }
    }
}
