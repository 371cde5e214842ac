package dev.distrolix.tar;

import static dev.distrolix.tar.ParallelGzipOutputStream.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The system's zlib through the foreign function API, on the Java 22+ the build has (surefire's
 * test-java22 execution, with native access): it binds here, and every block it deflates has the
 * bytes the JDK's {@code Deflater} gives.
 */
@Tag("java22")
class SystemZlibDeflaterTest {

    @Test
    void bindsTheSystemsZlibAndDeflatesEveryKindOfBlockAsTheJdkDoes() throws Exception {
        BlockDeflater system = SystemZlib.load();
        assertThat(system.getClass().getSimpleName()).isEqualTo("SystemZlibDeflater");
        assertThat(system.toString()).matches("zlib 1\\.[23][.0-9]* \\(libz\\.so\\.1\\)");
        Random r = new Random(42);
        byte[] random = new byte[2 * BLOCK];
        r.nextBytes(random);
        byte[][] inputs = {
            ParallelGzipTest.mixed(2 * BLOCK, 7), random, new byte[2 * BLOCK], javaModules(2 * BLOCK),
        };
        for (byte[] in : inputs) {
            // stored (0), deflate_fast (1-3), deflate_slow (4-9): the ends of each, and the default
            ZlibJniTest.sameForEveryKindOfBlock(system, in, 0, 1, 3, 4, 6, 9);
        }
    }

    @Test
    void theJniLibraryDeflatesEveryKindOfBlockAsThisJavasBundledZlib() throws Exception {
        // Temurin's Deflater is the zlib it bundles: here the JNI library's blocks meet another zlib's
        BlockDeflater jni = SystemZlib.loadJni(ZlibJniTest.library());
        for (byte[] in : new byte[][] {javaModules(2 * BLOCK), ParallelGzipTest.mixed(2 * BLOCK, 5)}) {
            ZlibJniTest.sameForEveryKindOfBlock(jni, in, 0, 1, 3, 4, 6, 9);
        }
    }

    @Test
    void aBigStreamSwitchesToItMidwayWithTheSameBytes() throws IOException, InterruptedException {
        // enough blocks to start the binding, then wait for it and write more: blocks from both zlibs
        byte[] head = ParallelGzipTest.mixed((int) SystemZlib.AFTER_BLOCKS * BLOCK + 5, 11);
        byte[] tail = ParallelGzipTest.mixed(40 * BLOCK + 3, 12);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (OutputStream g = new ParallelGzipOutputStream(got, 6)) {
            g.write(head);
            for (int i = 0; i < 200 && SystemZlib.ready() == null; i++) {
                Thread.sleep(50);
            }
            assertThat(SystemZlib.ready()).as("the system's zlib, bound beside the stream").isNotNull();
            g.write(tail);
        }
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        assertThat(got.toByteArray()).isEqualTo(ParallelGzipTest.reference(all));
    }

    /** Real binary data: the start of this JDK's modules image. */
    private static byte[] javaModules(int size) throws IOException {
        Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
        try (var in = Files.newInputStream(modules)) {
            byte[] b = in.readNBytes(size);
            assertThat(b).hasSize(size);
            return b;
        }
    }
}
