package dev.distrolix.nix.substituter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * liblzma's xz decoding through distrolix's library, as the build made it: the bytes org.tukaani.xz decodes, from
 * one stream or several, read in any pieces; damaged input refused with the reason, as the Java decoder refuses it.
 */
class XzJniTest {
    static Path library() {
        return Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-xz.so");
    }

    static byte[] xz(byte[] data, int preset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(preset))) {
            xz.write(data);
        }
        return out.toByteArray();
    }

    /** Reads {@code in} to its end in pieces of random sizes (1 byte at times). */
    static byte[] readInPieces(InputStream in, Random r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[200_000];
        while (true) {
            if (r.nextInt(10) == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                continue;
            }
            int at = r.nextInt(100);
            int n = in.read(buf, at, 1 + r.nextInt(buf.length - 100));
            if (n < 0) {
                break;
            }
            out.write(buf, at, n);
        }
        return out.toByteArray();
    }

    static byte[] data(Random r, int size) {
        byte[] d = new byte[size];
        for (int i = 0; i < size; i++) {
            d[i] = (byte) (i % 7 == 0 ? r.nextInt() : "nix store path ".charAt(i % 15));
        }
        return d;
    }

    @Test
    void theBuildMadeTheLibraryAndItDecodesItsSample() throws IOException {
        assertThat(library()).as("built by src/main/c/build.sh (gcc, liblzma-dev)").isRegularFile();
        assertThat(XzJni.load(library())).matches("5\\.[0-9.]+");
    }

    @Test
    void decodesWhatTheJavaDecoderDecodesInAnyPieces() throws IOException {
        XzJni.load(library());
        Random r = new Random(9);
        for (int size : new int[] {0, 1, 1000, 70_000, 1_500_000}) {
            byte[] data = data(r, size);
            byte[] xz = xz(data, size % 2 == 0 ? 6 : 1);
            byte[] twice = concat(xz, xz(Arrays.copyOf(data, size / 2), 3));
            for (byte[] input : new byte[][] {xz, twice}) {
                byte[] expected = new XZInputStream(new ByteArrayInputStream(input)).readAllBytes();
                try (InputStream in = new XzJni(new Trickle(input, r))) {
                    assertThat(readInPieces(in, r)).as("%d bytes", size).isEqualTo(expected);
                    assertThat(in.read()).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void damagedInputIsRefusedWithTheReason() throws IOException {
        XzJni.load(library());
        byte[] xz = xz(data(new Random(2), 100_000), 6);
        assertThatThrownBy(() -> new XzJni(new ByteArrayInputStream(Arrays.copyOf(xz, xz.length - 9))).readAllBytes())
                .isInstanceOf(IOException.class).hasMessage("truncated xz data");
        byte[] flipped = xz.clone();
        flipped[xz.length / 2] ^= 0x55;
        assertThatThrownBy(() -> new XzJni(new ByteArrayInputStream(flipped)).readAllBytes())
                .isInstanceOf(IOException.class).hasMessage("corrupt xz data");
        assertThatThrownBy(() -> new XzJni(new ByteArrayInputStream("not xz at all, a text".getBytes())).readAllBytes())
                .isInstanceOf(IOException.class).hasMessage("not xz data");
        assertThatThrownBy(() -> new XzJni(new ByteArrayInputStream(new byte[0])).readAllBytes())
                .isInstanceOf(IOException.class).hasMessage("truncated xz data");
        InputStream closed = new XzJni(new ByteArrayInputStream(xz));
        closed.close();
        assertThatThrownBy(closed::read).isInstanceOf(IOException.class).hasMessage("the xz stream is closed");
    }

    @Test
    void withoutTheLibraryNamedNarsAreDecodedInJava() throws IOException {
        // the surefire JVM names no library: org.tukaani.xz's decoder, the same bytes
        byte[] data = data(new Random(4), 5000);
        try (InputStream in = XzJni.open(new ByteArrayInputStream(xz(data, 6)))) {
            assertThat(in).isInstanceOf(XZInputStream.class);
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void aFileThatIsNotALibraryIsRefusedSayingSo(@TempDir Path tmp) throws IOException {
        Path text = Files.writeString(tmp.resolve("libdistrolix-xz.so"), "not a library\n");
        assertThatThrownBy(() -> XzJni.load(text)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(text + " is not an ELF library");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Gives its bytes a few at a time, as a network does. */
    static final class Trickle extends ByteArrayInputStream {
        final Random r;

        Trickle(byte[] b, Random r) {
            super(b);
            this.r = r;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + r.nextInt(5000)));
        }
    }
}
