package dev.distrolix.tar;

import static dev.distrolix.tar.ParallelGzipOutputStream.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * distrolix's JNI library for the system's zlib, as the build made it (target/native): it loads, names its zlib,
 * and deflates every kind of block as the JDK's {@code Deflater} does (on Java 17 here; SystemZlibDeflaterTest
 * checks it against Temurin 25's bundled zlib too).
 */
class ZlibJniTest {
    static Path library() {
        return Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-zlib.so");
    }

    @Test
    void theBuildMadeTheLibraryAndItLoadsWithTheSystemsZlib() {
        assertThat(library()).as("built by src/main/c/build.sh (gcc, zlib1g-dev)").isRegularFile();
        BlockDeflater jni = SystemZlib.loadJni(library());
        assertThat(jni.toString()).matches("zlib 1\\.[23][.0-9]* \\(libdistrolix-zlib\\.so\\)");
    }

    @Test
    void everyKindOfBlockHasTheJdksBytes() {
        BlockDeflater jni = SystemZlib.loadJni(library());
        Random r = new Random(7);
        byte[] random = new byte[2 * BLOCK];
        r.nextBytes(random);
        for (byte[] in : new byte[][] {ParallelGzipTest.mixed(2 * BLOCK, 3), random, new byte[2 * BLOCK]}) {
            sameForEveryKindOfBlock(jni, in, 0, 1, 6, 9);
        }
    }

    @Test
    void blocksOutOfBoundsAreRefusedBeforeTheNativeCall() {
        BlockDeflater jni = SystemZlib.loadJni(library());
        byte[] data = new byte[100];
        assertThatThrownBy(() -> jni.compress(6, null, data, 101, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a block of 101 bytes (at most 131072 and 100)");
        assertThatThrownBy(() -> jni.compress(6, null, new byte[BLOCK + 1], BLOCK + 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jni.compress(6, null, data, -1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jni.compress(6, new byte[100], data, 10, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a dictionary of 100 bytes, not 32768");
    }

    @Test
    void aMissingLibraryIsRefusedSayingSo() {
        Path missing = library().resolveSibling("no-such-library.so");
        assertThatThrownBy(() -> SystemZlib.loadJni(missing)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(missing + " is not a file");
    }

    @Test
    void aFileThatIsNotALibraryIsRefusedBeforeTheJvmLoadsIt(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        // refused before System.load, which would print the JVM's stack-guard warning for it; bindQuietly catches
        // this and keeps the JDK's zlib: the same bytes, nothing printed
        Path text = java.nio.file.Files.writeString(tmp.resolve("libdistrolix-zlib.so"), "not a library\n");
        assertThatThrownBy(() -> SystemZlib.loadJni(text)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(text + " is not an ELF library");
    }

    /**
     * {@code deflater} and the JDK's {@code Deflater} make the same bytes of every kind of block from {@code in}
     * (2 blocks: its first as the dictionary, whose last 32 KiB are used, its second as the data) at {@code levels}:
     * 0, 1, some and all of a block's bytes, with and without the dictionary, last or not.
     */
    static void sameForEveryKindOfBlock(BlockDeflater deflater, byte[] in, int... levels) {
        byte[] dictionary = Arrays.copyOfRange(in, 0, BLOCK);
        byte[] data = Arrays.copyOfRange(in, BLOCK, 2 * BLOCK);
        for (int level : levels) {
            for (int len : new int[] {0, 1, 1000, BLOCK - 1, BLOCK}) {
                for (boolean last : new boolean[] {false, true}) {
                    same(deflater, level, null, data, len, last);
                    same(deflater, level, dictionary, data, len, last);
                }
            }
        }
    }

    static void same(BlockDeflater system, int level, byte[] dictionary, byte[] data, int len, boolean last) {
        ParallelGzipOutputStream.Compressed a = system.compress(level, dictionary, data, len, last);
        ParallelGzipOutputStream.Compressed b =
                ParallelGzipOutputStream.jdkCompress(level, dictionary, data, len, last);
        assertThat(Arrays.copyOf(a.data(), a.length()))
                .as("level %d, %d bytes, dictionary %s, last %s", level, len, dictionary != null, last)
                .isEqualTo(Arrays.copyOf(b.data(), b.length()));
    }
}
