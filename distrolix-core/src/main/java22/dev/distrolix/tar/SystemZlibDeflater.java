package dev.distrolix.tar;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;

/**
 * Deflates blocks with the system's zlib ({@code libz.so.1}) through the foreign function API
 * (Java 22+), the way the JDK's {@code Deflater(level, true)} does with the zlib it bundles:
 * {@code deflateInit2(level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)}, then per block
 * {@code deflateReset}, {@code deflateSetDictionary}, one {@code deflate} with {@code Z_SYNC_FLUSH}
 * or {@code Z_FINISH}. Why: Temurin's bundled zlib deflated 10% slower than Debian's (the same
 * bytes); {@link SystemZlib} decides whether this class is used at all, and checks its bytes.
 *
 * <p>Compiled for Java 22 (src/main/java22) and only ever loaded by name on a Java 22 or later.
 * Each executor thread keeps a stream per level, as the JDK's path keeps a {@code Deflater}.
 */
final class SystemZlibDeflater implements BlockDeflater {
    private static final int Z_SYNC_FLUSH = 2;
    private static final int Z_FINISH = 4;
    private static final int Z_OK = 0;
    private static final int Z_STREAM_END = 1;
    /** z_stream on LP64 (Linux on x86_64 and aarch64); zlib checks it: deflateInit2_ refuses another size. */
    private static final int Z_STREAM_SIZE = 112;
    private static final long NEXT_IN = 0;
    private static final long AVAIL_IN = 8;
    private static final long NEXT_OUT = 24;
    private static final long AVAIL_OUT = 32;
    private static final int DICTIONARY = ParallelGzipOutputStream.DICTIONARY;
    private static final int BLOCK = ParallelGzipOutputStream.BLOCK;
    /** Room for any block: more than deflateBound(BLOCK) plus a sync flush's marker, so one deflate call does it. */
    private static final int OUT = BlockDeflater.room(BLOCK);
    private static final Cleaner CLEANER = Cleaner.create();

    private final String version;
    private final MethodHandle init;
    private final MethodHandle reset;
    private final MethodHandle setDictionary;
    private final MethodHandle deflate;
    private final MethodHandle end;
    private final StreamsByLevel<Stream> streams = new StreamsByLevel<>(Stream::new);

    private SystemZlibDeflater(String version, MethodHandle init, MethodHandle reset, MethodHandle setDictionary,
            MethodHandle deflate, MethodHandle end) {
        this.version = version;
        this.init = init;
        this.reset = reset;
        this.setDictionary = setDictionary;
        this.deflate = deflate;
        this.end = end;
    }

    /**
     * Binds the system's zlib, or says why not (the message of the exception); called by
     * {@link SystemZlib} through reflection.
     */
    static BlockDeflater load() {
        if (!SystemZlibDeflater.class.getModule().isNativeAccessEnabled()) {
            // without --enable-native-access the JVM would print a warning on the first binding
            throw new UnsupportedOperationException("native access is not enabled");
        }
        Linker linker = Linker.nativeLinker();
        if (ValueLayout.ADDRESS.byteSize() != 8 || linker.canonicalLayouts().get("long").byteSize() != 8) {
            throw new UnsupportedOperationException("not an LP64 platform");
        }
        SymbolLookup zlib = SymbolLookup.libraryLookup("libz.so.1", Arena.global());
        MethodHandle zlibVersion = linker.downcallHandle(find(zlib, "zlibVersion"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        String version;
        try {
            version = ((MemorySegment) zlibVersion.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("zlibVersion failed", t);
        }
        SystemZlib.checkVersion(version);
        FunctionDescriptor streamOnly = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        return new SystemZlibDeflater(version,
                linker.downcallHandle(find(zlib, "deflateInit2_"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
                linker.downcallHandle(find(zlib, "deflateReset"), streamOnly),
                linker.downcallHandle(find(zlib, "deflateSetDictionary"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
                linker.downcallHandle(find(zlib, "deflate"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
                linker.downcallHandle(find(zlib, "deflateEnd"), streamOnly));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsupportedOperationException("libz.so.1 has no " + name));
    }

    @Override
    public String toString() {
        return "zlib " + version + " (libz.so.1)";
    }

    @Override
    public ParallelGzipOutputStream.Compressed compress(int level, byte[] dictionary, byte[] data, int len,
            boolean last) {
        BlockDeflater.checkBlock(dictionary, data, len);
        Stream s = streams.get(level);
        try {
            check((int) reset.invokeExact(s.strm), Z_OK, "deflateReset");
            if (dictionary != null) {
                MemorySegment.copy(dictionary, dictionary.length - DICTIONARY, s.in, ValueLayout.JAVA_BYTE, 0,
                        DICTIONARY);
                check((int) setDictionary.invokeExact(s.strm, s.in, DICTIONARY), Z_OK, "deflateSetDictionary");
            }
            MemorySegment.copy(data, 0, s.in, ValueLayout.JAVA_BYTE, DICTIONARY, len);
            s.strm.set(ValueLayout.ADDRESS, NEXT_IN, s.in.asSlice(DICTIONARY));
            s.strm.set(ValueLayout.JAVA_INT, AVAIL_IN, len);
            s.strm.set(ValueLayout.ADDRESS, NEXT_OUT, s.out);
            s.strm.set(ValueLayout.JAVA_INT, AVAIL_OUT, OUT);
            int rc = (int) deflate.invokeExact(s.strm, last ? Z_FINISH : Z_SYNC_FLUSH);
            check(rc, last ? Z_STREAM_END : Z_OK, "deflate");
            int left = s.strm.get(ValueLayout.JAVA_INT, AVAIL_OUT);
            if (left == 0 || s.strm.get(ValueLayout.JAVA_INT, AVAIL_IN) != 0) {
                throw new IllegalStateException("zlib's deflate did not take a whole block in one call");
            }
            byte[] compressed = new byte[OUT - left];
            MemorySegment.copy(s.out, ValueLayout.JAVA_BYTE, 0, compressed, 0, compressed.length);
            return new ParallelGzipOutputStream.Compressed(compressed, compressed.length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("zlib's deflate failed", t);
        }
    }

    private static void check(int rc, int expected, String call) {
        if (rc != expected) {
            throw new IllegalStateException("zlib's " + call + " returned " + rc);
        }
    }

    /**
     * One thread's z_stream and buffers, freed when the thread's stream is unreachable: zlib's own
     * state by deflateEnd (a cleaner's action, which holds the memory, not the stream), the rest by
     * the automatic arena.
     */
    private final class Stream {
        final MemorySegment strm;
        final MemorySegment in;
        final MemorySegment out;

        Stream(int level) {
            Arena arena = Arena.ofAuto();
            strm = arena.allocate(Z_STREAM_SIZE, 8); // zeroed: zalloc, zfree and opaque are Z_NULL
            in = arena.allocate(DICTIONARY + BLOCK);
            out = arena.allocate(OUT);
            int rc;
            try {
                rc = (int) init.invokeExact(strm, level, 8, -15, 8, 0, arena.allocateFrom(version), Z_STREAM_SIZE);
            } catch (Throwable t) {
                throw new IllegalStateException("zlib's deflateInit2_ failed", t);
            }
            check(rc, Z_OK, "deflateInit2_");
            MemorySegment stream = strm;
            MethodHandle deflateEnd = end;
            CLEANER.register(this, () -> {
                try {
                    int ignored = (int) deflateEnd.invokeExact(stream);
                } catch (Throwable t) {
                    // nothing to do at cleanup: the memory is lost either way
                }
            });
        }
    }
}
