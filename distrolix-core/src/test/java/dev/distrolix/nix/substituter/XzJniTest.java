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
import java.util.zip.CRC32;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.MemoryLimitException;
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
    void damagedStreamsAreRefusedOrDecodedAsTheJavaDecoderDecodesThem() throws IOException {
        // liblzma reads what a binary cache sends: whatever the damage, one IOException or the Java decoder's bytes
        XzJni.load(library());
        Random r = new Random(11);
        // small dictionaries (presets 0 and 1: 256 KiB, 1 MiB): each decoder of each damaged stream allocates one
        byte[][] streams = {xz(data(r, 0), 1), xz(data(r, 3000), 1), xz(data(r, 40_000), 0),
            concat(xz(data(r, 500), 0), xz(data(r, 700), 1))};
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = damage(streams[i % streams.length], r);
            Object java = outcome(() -> new XZInputStream(new ByteArrayInputStream(damaged), XzJni.MEMORY_LIMIT_KIB), r);
            Object liblzma = outcome(() -> new XzJni(new Trickle(damaged, r)), r);
            if (java instanceof byte[] decoded) {
                assertThat(liblzma).as("damage %d, which the Java decoder reads", i).isInstanceOf(byte[].class);
                assertThat((byte[]) liblzma).isEqualTo(decoded);
            } else {
                assertThat(liblzma).as("damage %d, which the Java decoder refuses (%s)", i, java)
                        .isInstanceOf(IOException.class);
                assertThat(((IOException) liblzma).getMessage()).isIn("corrupt xz data", "truncated xz data",
                        "not xz data", "unsupported xz options", "the xz stream needs more than 256 MiB to decode");
                refused++;
            }
        }
        assertThat(refused).as("most damage is seen").isGreaterThan(1300);
    }

    @Test
    void aStreamAskingForMoreThan256MiBIsRefusedByEitherDecoder() throws IOException {
        XzJni.load(library());
        byte[] data = data(new Random(5), 10_000);
        byte[] huge = askingForTheLargestDictionary(xz(data, 6));
        assertThatThrownBy(() -> new XzJni(new ByteArrayInputStream(huge)).readAllBytes())
                .isInstanceOf(IOException.class).hasMessage("the xz stream needs more than 256 MiB to decode");
        // the surefire JVM names no library: org.tukaani.xz's decoder, refusing before it allocates 1.5 GiB
        assertThatThrownBy(() -> XzJni.open(new ByteArrayInputStream(huge)).readAllBytes())
                .isInstanceOf(MemoryLimitException.class).hasMessageContaining("262144 KiB");
        // the same stream with its own header is read by both
        assertThat(new XzJni(new ByteArrayInputStream(xz(data, 6))).readAllBytes()).isEqualTo(data);
        assertThat(XzJni.open(new ByteArrayInputStream(xz(data, 6))).readAllBytes()).isEqualTo(data);
    }

    /**
     * {@code xz} (org.tukaani.xz's layout: a 12-byte stream header, then a block header of 12 bytes with one LZMA2
     * filter) with its block asking for a 1.5 GiB dictionary (the largest org.tukaani.xz reads), its CRC32 made again.
     */
    static byte[] askingForTheLargestDictionary(byte[] xz) {
        byte[] b = xz.clone();
        assertThat(Arrays.copyOfRange(b, 12, 16)).as("block header size, flags, LZMA2, one property byte")
                .containsExactly(2, 0, 0x21, 1);
        b[16] = 37; // LZMA2's dictionary size property: (2 | 37 & 1) << (37 / 2 + 11) bytes, 1.5 GiB
        CRC32 crc = new CRC32();
        crc.update(b, 12, 8);
        int c = (int) crc.getValue();
        for (int k = 0; k < 4; k++) {
            b[20 + k] = (byte) (c >>> (8 * k));
        }
        return b;
    }

    interface Decoder {
        InputStream open() throws IOException;
    }

    /** What reading the decoder's stream to its end gives: its bytes, or the IOException it throws. */
    static Object outcome(Decoder d, Random r) {
        try (InputStream in = d.open()) {
            return readInPieces(in, r);
        } catch (IOException e) {
            return e;
        }
    }

    /** {@code xz} damaged in one of the ways a transfer or a forger damages bytes. */
    static byte[] damage(byte[] xz, Random r) {
        byte[] b = xz.clone();
        int at = r.nextInt(b.length + 1);
        switch (r.nextInt(7)) {
            case 0 -> { // a few bytes changed
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, at); // cut short
            }
            case 2 -> { // bytes put in
                byte[] extra = new byte[1 + r.nextInt(16)];
                r.nextBytes(extra);
                return concat(concat(Arrays.copyOf(b, at), extra), Arrays.copyOfRange(b, at, b.length));
            }
            case 3 -> { // bytes left out
                int end = Math.min(b.length, at + 1 + r.nextInt(16));
                return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, end, b.length));
            }
            case 4 -> { // a run overwritten
                for (int k = at, end = Math.min(b.length, at + 1 + r.nextInt(32)); k < end; k++) {
                    b[k] = (byte) r.nextInt();
                }
                return b;
            }
            case 5 -> { // something after the stream (zeros: padding, which xz allows in fours)
                byte[] tail = new byte[1 + r.nextInt(12)];
                if (r.nextBoolean()) {
                    r.nextBytes(tail);
                }
                return concat(b, tail);
            }
            default -> { // the stream header's or footer's fields
                int k = r.nextBoolean() ? r.nextInt(Math.min(12, b.length)) : b.length - 1 - r.nextInt(Math.min(12, b.length));
                b[k] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
        }
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
