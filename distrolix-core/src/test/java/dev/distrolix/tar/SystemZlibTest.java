package dev.distrolix.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The gates before the system's zlib deflates a block (the native side: SystemZlibDeflaterTest, on Java 22+). */
class SystemZlibTest {

    @Test
    void onlyZlibReleasesThatDeflateLikeTheJdksArePassed() {
        for (String v : new String[] {"1.2.12", "1.2.13", "1.3", "1.3.1", "1.3.0.1", "1.3.1.2"}) {
            assertThatCode(() -> SystemZlib.checkVersion(v)).as(v).doesNotThrowAnyException();
        }
        for (String v : new String[] {"1.3.1.zlib-ng", "1.2.11", "1.2.8", "2.2.2", "1.3-motley", "", "1.4.0"}) {
            assertThatThrownBy(() -> SystemZlib.checkVersion(v)).as(v)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("zlib " + v + " may deflate other bytes than the JDK's");
        }
    }

    @Test
    void theJniLibraryIsWorthBindingFromTheFirstMibTheForeignFunctionApiFrom32() {
        String before = System.getProperty(ZlibJni.LIBRARY_PROPERTY);
        try {
            System.clearProperty(ZlibJni.LIBRARY_PROPERTY);
            assertThat(SystemZlib.afterBlocks()).isEqualTo(256);
            System.setProperty(ZlibJni.LIBRARY_PROPERTY, "");
            assertThat(SystemZlib.afterBlocks()).as("an empty value names no library").isEqualTo(256);
            System.setProperty(ZlibJni.LIBRARY_PROPERTY, "/some/libdistrolix-zlib.so");
            assertThat(SystemZlib.afterBlocks()).isEqualTo(8);
            assertThat(SystemZlib.afterBlocks() * ParallelGzipOutputStream.BLOCK).isEqualTo(1 << 20);
        } finally {
            if (before == null) {
                System.clearProperty(ZlibJni.LIBRARY_PROPERTY);
            } else {
                System.setProperty(ZlibJni.LIBRARY_PROPERTY, before);
            }
        }
    }

    @Test
    void theJdksOwnDeflaterPassesTheSampleCheck() {
        assertThatCode(() -> SystemZlib.checkSameBytes(ParallelGzipOutputStream::jdkCompress))
                .doesNotThrowAnyException();
    }

    @Test
    void aDeflaterThatDiffersInAnyBlockIsRefused() {
        // right but for the last block: the check must try every kind of block
        BlockDeflater wrongWhenLast = (level, dictionary, data, len, last) ->
                ParallelGzipOutputStream.jdkCompress(last ? level - 1 : level, dictionary, data, len, last);
        assertThatThrownBy(() -> SystemZlib.checkSameBytes(wrongWhenLast))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageEndingWith("deflated a sample otherwise than the JDK's zlib");
        // and at the level it is used at
        BlockDeflater otherLevel = (level, dictionary, data, len, last) ->
                ParallelGzipOutputStream.jdkCompress(level == SystemZlib.LEVEL ? 5 : level, dictionary, data, len, last);
        assertThatThrownBy(() -> SystemZlib.checkSameBytes(otherLevel))
                .isInstanceOf(UnsupportedOperationException.class);
        // right bytes, one extra byte counted: lengths are compared, not only prefixes
        BlockDeflater oneLonger = (level, dictionary, data, len, last) -> {
            ParallelGzipOutputStream.Compressed c =
                    ParallelGzipOutputStream.jdkCompress(level, dictionary, data, len, last);
            byte[] b = Arrays.copyOf(c.data(), c.length() + 1);
            return new ParallelGzipOutputStream.Compressed(b, c.length() + 1);
        };
        assertThatThrownBy(() -> SystemZlib.checkSameBytes(oneLonger))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSampleHasBothMatchesAndLiterals() {
        byte[] s = SystemZlib.sample();
        ParallelGzipOutputStream.Compressed c = ParallelGzipOutputStream.jdkCompress(6, null, s, s.length, true);
        // compressible (matches), yet far from the ~1000x a run of one byte gives (literals)
        assertThat(c.length()).isBetween(s.length / 20, s.length / 2);
        assertThat(SystemZlib.sample()).isEqualTo(s);
    }
}
