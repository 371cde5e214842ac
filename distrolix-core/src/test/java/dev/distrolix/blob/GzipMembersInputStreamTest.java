package dev.distrolix.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GzipMembersInputStream} against what wrote the bytes (the JDK's gzip, distrolix's parallel writer, members
 * one after another) and against commons-compress's reader, which it replaced: the same bytes for every good input,
 * and an IOException wherever that reader refuses one (cut short anywhere, a byte flipped anywhere, bytes after the
 * last member). One refusal is new: a header whose FHCRC (its CRC-16) is wrong, which commons-compress 1.28 read and
 * RFC 1952 and the JDK's reader refuse. Every read is made with both inflaters, the JDK's zlib and ISA-L (as the build
 * made its library), which must agree byte for byte, and refuse alike.
 */
class GzipMembersInputStreamTest {
    private static byte[] data(Random r, int size) {
        byte[] b = new byte[size];
        switch (r.nextInt(3)) {
            case 0 -> r.nextBytes(b); // incompressible
            case 1 -> { // text-like
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) ("abcdefgh \n".charAt(r.nextInt(10)));
                }
            }
            default -> Arrays.fill(b, (byte) r.nextInt(256)); // one byte repeated
        }
        return b;
    }

    /** The JDK's gzip of {@code data}, as the hostile corpus makes it. */
    private static byte[] gzip(byte[] data) throws IOException {
        return dev.distrolix.testing.hostile.HostileCorpus.gzip(data);
    }

    private static byte[] parallelGzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = dev.distrolix.tar.Compressors.open(Compression.GZIP, out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /** ISA-L's library as the build made it (src/main/c/build.sh: gcc, libisal-dev), loaded once. */
    static Path isalLibrary() {
        return dev.distrolix.testing.Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-isal.so");
    }

    @BeforeAll
    static void loadIsal() throws Exception {
        IsalInflater.check(isalLibrary());
    }

    /**
     * What both inflaters read of {@code gz} (the JDK's zlib and ISA-L), which must be the same bytes, or both refuse
     * (the refusal thrown is zlib's).
     */
    private static byte[] ours(byte[] gz) throws IOException {
        IOException zlibRefused = null;
        byte[] zlib = null;
        try {
            zlib = read(gz, new RawInflater.Jdk());
        } catch (IOException e) {
            zlibRefused = e;
        }
        try {
            byte[] isal = read(gz, new IsalInflater());
            if (zlibRefused != null) {
                throw new AssertionError("ISA-L read what zlib refused (" + zlibRefused.getMessage() + ")");
            }
            assertThat(isal).as("ISA-L's bytes").isEqualTo(zlib);
        } catch (IOException isalRefused) {
            if (zlibRefused == null) {
                throw new AssertionError("ISA-L refused what zlib read", isalRefused);
            }
            // both refuse; not always in the same words (ISA-L takes incomplete Huffman codes that zlib refuses, and
            // then runs out of input where zlib says the data is corrupt)
        }
        if (zlibRefused != null) {
            throw zlibRefused;
        }
        return zlib;
    }

    private static byte[] read(byte[] gz, RawInflater inflater) throws IOException {
        return read(new ByteArrayInputStream(gz), gz.length, inflater);
    }

    private static byte[] read(InputStream raw, int seed, RawInflater inflater) throws IOException {
        try (InputStream in = new GzipMembersInputStream(raw, inflater)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Random r = new Random(seed);
            byte[] buf = new byte[1 + r.nextInt(70_000)]; // reads of any size, and now and then one byte or a few
            while (true) {
                int kind = r.nextInt(8);
                if (kind == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                    continue;
                }
                int n = in.read(buf, 0, kind == 1 ? Math.min(buf.length, 1 + r.nextInt(600)) : buf.length);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static byte[] theirs(byte[] gz) throws IOException {
        try (InputStream in = GzipCompressorInputStream.builder().setInputStream(new ByteArrayInputStream(gz))
                .setDecompressConcatenated(true).get()) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsWhatTheWritersWrote() throws IOException {
        Random r = new Random(1);
        for (int i = 0; i < 300; i++) {
            byte[] a = data(r, r.nextInt(i < 100 ? 300 : 400_000));
            byte[] b = data(r, r.nextInt(5_000));
            assertThat(ours(gzip(a))).isEqualTo(a);
            assertThat(ours(parallelGzip(a))).isEqualTo(a);
            // members one after another, as `cat a.gz b.gz` makes them
            assertThat(ours(concat(gzip(a), parallelGzip(b), gzip(new byte[0])))).isEqualTo(concat(a, b));
        }
        assertThat(ours(gzip(new byte[0]))).isEmpty();
    }

    /**
     * Input that arrives a few bytes at a time, many members: the bytes ISA-L reads ahead past a member then come from
     * inputs before the last one, and are given back across them.
     */
    @Test
    void readsMembersArrivingAFewBytesAtATime() throws IOException {
        Random r = new Random(11);
        for (int i = 0; i < 40; i++) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            for (int m = 0; m < 1 + r.nextInt(12); m++) {
                byte[] d = data(r, r.nextInt(m % 3 == 0 ? 20 : 20_000));
                gz.writeBytes(r.nextBoolean() ? gzip(d) : parallelGzip(d));
                plain.writeBytes(d);
            }
            byte[] all = gz.toByteArray();
            Random pieces = new Random(i);
            for (RawInflater inflater : new RawInflater[] {new RawInflater.Jdk(), new IsalInflater()}) {
                InputStream trickle = new ByteArrayInputStream(all) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 1 + pieces.nextInt(13)));
                    }
                };
                assertThat(read(trickle, i, inflater)).as(inflater.getClass().getSimpleName() + " " + i)
                        .isEqualTo(plain.toByteArray());
            }
        }
    }

    @Test
    void readsHeadersWithEveryOptionalField() throws IOException {
        byte[] data = "hello, optional fields\n".repeat(50).getBytes();
        byte[] plain = gzip(data);
        byte[] deflate = Arrays.copyOfRange(plain, 10, plain.length); // deflate data, CRC-32, ISIZE
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        h.writeBytes(new byte[] {7, 0, 'A', 'B', 3, 0, 1, 2, 3}); // FEXTRA: XLEN 7, one subfield of 3 bytes
        h.writeBytes("name.tar\0".getBytes()); // FNAME
        h.writeBytes("a comment\0".getBytes()); // FCOMMENT
        CRC32 c = new CRC32();
        c.update(h.toByteArray());
        byte[] header = h.toByteArray();
        byte[] good = concat(header, new byte[] {(byte) c.getValue(), (byte) (c.getValue() >> 8)}, deflate);
        assertThat(ours(good)).isEqualTo(data).isEqualTo(theirs(good));
        byte[] badHcrc = good.clone();
        badHcrc[header.length] ^= 1;
        assertThatThrownBy(() -> ours(badHcrc)).isInstanceOf(IOException.class).hasMessageContaining("CRC-16");
        byte[] badExtra = good.clone();
        badExtra[14] = 4; // the subfield says 4 bytes, 3 are left
        assertThatThrownBy(() -> theirs(badExtra)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ours(badExtra)).isInstanceOf(IOException.class).hasMessageContaining("extra field");
    }

    @Test
    void refusesWhatIsNotGzipOrIsDamaged() throws IOException {
        byte[] data = "some layer bytes ".repeat(2_000).getBytes();
        byte[] gz = gzip(data);
        assertThatThrownBy(() -> ours(new byte[0])).isInstanceOf(IOException.class).hasMessage("Input is not in the .gz format");
        assertThatThrownBy(() -> ours("not gzip".getBytes())).isInstanceOf(IOException.class)
                .hasMessage("Input is not in the .gz format");
        byte[] method = gz.clone();
        method[2] = 7;
        assertThatThrownBy(() -> ours(method)).hasMessageContaining("compression method 7");
        byte[] reserved = gz.clone();
        reserved[3] = (byte) 0x80;
        assertThatThrownBy(() -> ours(reserved)).hasMessageContaining("Reserved flags");
        assertThatThrownBy(() -> ours(concat(gz, new byte[] {0}))).hasMessage("Garbage after a valid .gz stream");
        assertThatThrownBy(() -> ours(concat(gz, "trailing".getBytes()))).hasMessage("Garbage after a valid .gz stream");
        byte[] crc = gz.clone();
        crc[gz.length - 8] ^= 1;
        assertThatThrownBy(() -> ours(crc)).hasMessageContaining("CRC-32");
        byte[] isize = gz.clone();
        isize[gz.length - 4] ^= 1;
        assertThatThrownBy(() -> ours(isize)).hasMessageContaining("trailer says");
    }

    /** Cut short at every length, and one byte flipped at every place: refused exactly where the old reader refused. */
    @Test
    void refusesWhereCommonsCompressRefused() throws IOException {
        Random r = new Random(7);
        byte[] data = data(r, 3_000);
        byte[] gz = concat(gzip(data), parallelGzip(Arrays.copyOf(data, 700)));
        int readable = 0;
        for (int cut = 0; cut < gz.length; cut++) {
            readable += sameAsCommons(Arrays.copyOf(gz, cut), "cut at " + cut);
        }
        assertThat(readable).as("only the cut between the members leaves whole gzip").isEqualTo(1);
        for (int at = 0; at < gz.length; at++) {
            for (int bit : new int[] {0, 3, 7}) {
                byte[] flipped = gz.clone();
                flipped[at] ^= (byte) (1 << bit);
                // a flip the format cannot see (MTIME, XFL, OS) reads the same
                sameAsCommons(flipped, "byte " + at + " bit " + bit);
            }
        }
    }

    /** Refused by both, or read to the same bytes by both; 1 if read. */
    private static int sameAsCommons(byte[] gz, String what) throws IOException {
        byte[] theirs;
        try {
            theirs = theirs(gz);
        } catch (IOException refused) {
            assertThatThrownBy(() -> ours(gz)).as(what).isInstanceOf(IOException.class);
            return 0;
        }
        assertThat(ours(gz)).as(what).isEqualTo(theirs);
        return 1;
    }
}
