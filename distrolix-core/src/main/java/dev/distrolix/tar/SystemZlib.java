package dev.distrolix.tar;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Which zlib deflates gzip blocks: the JDK's {@code Deflater}, or the system's zlib ({@code libz.so.1}) where
 * it can be bound and gives the same bytes: through distrolix's JNI library ({@link ZlibJni}) when the
 * {@value ZlibJni#LIBRARY_PROPERTY} property names it ({@code bin/distrolix} does), from a build's first
 * MiB; else, on Java 22 and later, through the foreign function API, once this process has had
 * {@link #AFTER_BLOCKS} blocks (32 MiB) to deflate or is about to.
 *
 * <p>Why: the Java distrolix runs on (Temurin 25) deflates with the zlib it bundles, 7-10% slower
 * here than Debian's, for the same bytes; gzip builds are bound by deflate. Why the thresholds: the JNI library
 * loads in under a millisecond, and its check (below) takes a few; binding through the foreign function API
 * takes a fresh JVM ~0.3 s of CPU, more than a small build's blocks would gain. Either binds on a thread of its
 * own once a build is known to need it (its layers' size hints, or its blocks so far), and the blocks after it
 * is ready use it. A block's bytes depend only on its data, its dictionary and the zlib, so blocks
 * deflated by either zlib concatenate alike.
 *
 * <p>Same bytes: used only where {@code zlibVersion()} names a zlib release whose deflate makes the
 * bytes the JDK's bundled zlib makes (1.2.12 to 1.3.x; not zlib-ng's compatible builds, which
 * deflate differently), and only after it deflated a sample exactly as this JVM's
 * {@code Deflater} did, at the one level it is used at ({@link #LEVEL}, the layers'). Where any of that fails,
 * where the JVM restricts native access and it is not enabled ({@code bin/distrolix} enables it), or with
 * neither binding at hand, the JDK's zlib does it all. {@code -Ddistrolix.zlib=jdk} keeps it so.
 */
final class SystemZlib {
    /** 32 MiB of 128 KiB blocks: where the foreign function API's binding starts. */
    static final long AFTER_BLOCKS = 256;
    /** 1 MiB: where the JNI library's starts (not for a few small files' layers). */
    static final long AFTER_BLOCKS_JNI = 8;
    /**
     * The one level the system's zlib deflates at: the level gzip layers are made at, and the one its
     * sample is checked at (blocks at any other level stay with the JDK's zlib).
     */
    static final int LEVEL = 6;
    /** The zlib releases whose deflate gives the bytes of the JDK's bundled 1.3.1 (checked on 220 MB here). */
    private static final Pattern SAME_DEFLATE = Pattern.compile("1\\.2\\.1[23]|1\\.3(\\.[0-9]+)*");
    private static final String NATIVE_CLASS = "dev.distrolix.tar.SystemZlibDeflater";

    private static final AtomicLong BLOCKS = new AtomicLong();
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** The system's zlib once bound and checked; null until then, and for good where it is not used. */
    private static volatile BlockDeflater ready;

    private SystemZlib() {}

    /** The system's zlib, if it is ready; null until then. */
    static BlockDeflater ready() {
        return ready;
    }

    /** What deflates a block at {@code level}: the system's zlib once ready, at {@link #LEVEL}; null: the JDK's. */
    static BlockDeflater deflaterFor(int level) {
        return level == LEVEL ? ready : null;
    }

    /**
     * Counts a block to deflate; the {@link #afterBlocks}th starts binding the system's zlib beside the build.
     * Once the binding has started (or was refused), nothing is counted: this runs for every block.
     */
    static void blockSubmitted() {
        if (!STARTED.get() && BLOCKS.incrementAndGet() == afterBlocks()) {
            start();
        }
    }

    /**
     * Says how many bytes are about to be deflated (the layers' size hints): as many as
     * {@link #afterBlocks} blocks start the binding at once, so that their first blocks use it too.
     */
    static void expect(long bytes) {
        if (bytes >= afterBlocks() * ParallelGzipOutputStream.BLOCK) {
            start();
        }
    }

    /** How many blocks a process deflates before the system's zlib is worth binding: the binding's cost. */
    static long afterBlocks() {
        return jniLibrary() != null ? AFTER_BLOCKS_JNI : AFTER_BLOCKS;
    }

    /** The JNI library's path, or null where none is named (an empty value names none). */
    private static String jniLibrary() {
        String path = System.getProperty(ZlibJni.LIBRARY_PROPERTY);
        return path == null || path.isEmpty() ? null : path;
    }

    private static void start() {
        if (STARTED.compareAndSet(false, true) && !"jdk".equals(System.getProperty("distrolix.zlib"))
                && (jniLibrary() != null || Runtime.version().feature() >= 22)) {
            Thread t = new Thread(SystemZlib::bindQuietly, "distrolix-zlib");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void bindQuietly() {
        try {
            String jni = jniLibrary();
            ready = jni != null ? loadJni(java.nio.file.Path.of(jni)) : load();
        } catch (Throwable t) {
            // whatever went wrong (no libz.so.1, another zlib, no native access, a class not built), the
            // JDK's zlib goes on deflating every block: the same bytes, only slower; and nothing is printed,
            // which an uncaught throwable on this thread would do
        }
    }

    /**
     * Binds the system's zlib and checks it against this JVM's {@code Deflater}; throws, saying why,
     * where it cannot be used.
     */
    static BlockDeflater load() throws ReflectiveOperationException {
        if (Runtime.version().feature() < 22) {
            throw new UnsupportedOperationException("the foreign function API needs Java 22 or later");
        }
        BlockDeflater candidate;
        try {
            candidate = (BlockDeflater) MethodHandles.lookup()
                    .findStatic(Class.forName(NATIVE_CLASS), "load", MethodType.methodType(BlockDeflater.class))
                    .invoke();
        } catch (RuntimeException | ReflectiveOperationException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        checkSameBytes(candidate);
        return candidate;
    }

    /**
     * Loads the JNI library {@code path} and checks it against this JVM's {@code Deflater}; throws, saying why,
     * where it cannot be used. (Where it is named, the foreign function API's binding is not tried.)
     */
    static BlockDeflater loadJni(java.nio.file.Path path) {
        BlockDeflater candidate = ZlibJni.load(path);
        checkSameBytes(candidate);
        return candidate;
    }

    /** Refuses a zlib whose deflate may make other bytes than the JDK's (called by the native side). */
    static void checkVersion(String version) {
        if (!SAME_DEFLATE.matcher(version).matches()) {
            throw new UnsupportedOperationException("zlib " + version + " may deflate other bytes than the JDK's");
        }
    }

    /**
     * Deflates a sample at {@link #LEVEL} with the candidate and with the JDK's {@code Deflater}, as
     * three blocks (the first, one with a dictionary, a last one), and refuses the candidate unless
     * every block's bytes are the same. (At level 9 this sample took ~60 ms of CPU: long hash chains.)
     */
    static void checkSameBytes(BlockDeflater candidate) {
        byte[] sample = sample();
        int half = sample.length / 2;
        byte[] dictionary = Arrays.copyOfRange(sample, 0, half);
        byte[] data = Arrays.copyOfRange(sample, half, sample.length);
        sameBytes(candidate, LEVEL, null, dictionary, half, false);
        sameBytes(candidate, LEVEL, dictionary, data, data.length, false);
        sameBytes(candidate, LEVEL, dictionary, data, data.length, true);
    }

    private static void sameBytes(BlockDeflater candidate, int level, byte[] dictionary, byte[] data, int len,
            boolean last) {
        ParallelGzipOutputStream.Compressed theirs = candidate.compress(level, dictionary, data, len, last);
        ParallelGzipOutputStream.Compressed jdk = ParallelGzipOutputStream.jdkCompress(level, dictionary, data, len,
                last);
        if (!Arrays.equals(theirs.data(), 0, theirs.length(), jdk.data(), 0, jdk.length())) {
            throw new UnsupportedOperationException(candidate + " deflated a sample otherwise than the JDK's zlib");
        }
    }

    /**
     * 64 KiB that deflate finds both matches and literals in: words from a small vocabulary, with
     * single bytes of noise between them, from a fixed seed.
     */
    static byte[] sample() {
        byte[][] words = Arrays.stream(new String[] {"nix", "store", "layer ", "/lib/", "\n", "distroless ", "0000",
            "sha256:", "\u00e9t\u00e9 "}).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        byte[] out = new byte[64 * 1024];
        long x = 0x9E3779B97F4A7C15L;
        int i = 0;
        while (i < out.length) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if ((x & 7) == 0) {
                out[i++] = (byte) (x >>> 24);
                continue;
            }
            byte[] w = words[(int) ((x >>> 32) % words.length)]; // x >>> 32 is never negative
            int n = Math.min(w.length, out.length - i);
            System.arraycopy(w, 0, out, i, n);
            i += n;
        }
        return out;
    }
}
