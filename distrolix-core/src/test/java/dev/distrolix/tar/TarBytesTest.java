package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import static dev.distrolix.tar.Tools.dir;
import static dev.distrolix.tar.Tools.file;
import static dev.distrolix.tar.Tools.link;
import static dev.distrolix.tar.Tools.tar;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level checks of the frozen tar conventions. */
class TarBytesTest {
    static final String LONG_TARGET = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-glibc-2.36-some-long-name/lib/"
            + "x86_64-linux-gnu/libsomething-with-a-long-name.so.6.0.1";

    static List<LayerEntry> smallTree() {
        return List.of(dir("nix"), dir("nix/store"), dir("nix/store/abc-x"),
                file("nix/store/abc-x/bin", 0555, "#!/bin/sh\necho hi\n"),
                link("nix/store/abc-x/lib", LONG_TARGET),
                file("nix/store/abc-x/readme", 0444, "hello\n"));
    }

    static String field(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static byte[] block(byte[] tar, int index) {
        return Arrays.copyOfRange(tar, index * 512, index * 512 + 512);
    }

    static void assertChecksumValid(byte[] h) {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
        }
        assertThat(new String(h, 148, 8, StandardCharsets.US_ASCII))
                .isEqualTo(String.format("%06o", sum) + "\0 ");
    }

    @Test
    void sameTreeTwiceGivesSameBytesAndDigests(@TempDir Path a, @TempDir Path b) throws Exception {
        assertThat(tar(smallTree())).isEqualTo(tar(smallTree()));
        for (Compression c : Compression.values()) {
            LayerBlob x = LayerWriter.write(a, c, sink -> smallTree().forEach(e -> uncheckedAccept(sink, e)));
            LayerBlob y = LayerWriter.write(b, c, sink -> smallTree().forEach(e -> uncheckedAccept(sink, e)));
            assertThat(Files.readAllBytes(x.file())).isEqualTo(Files.readAllBytes(y.file()));
            assertThat(x.digest()).isEqualTo(y.digest());
            assertThat(x.diffId()).isEqualTo(y.diffId());
            assertThat(x.diffId().hex()).isEqualTo(dev.distrolix.blob.Digest.sha256(tar(smallTree())).hex());
            assertThat(x.file().getFileName().toString()).isEqualTo(x.digest().hex());
            assertThat(x.size()).isEqualTo(Files.size(x.file()));
            assertThat(x.uncompressedSize()).isEqualTo(tar(smallTree()).length);
        }
    }

    static void uncheckedAccept(LayerWriter.EntrySink sink, LayerEntry e) {
        try {
            sink.accept(e);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void longSymlinkTargetGetsOnlyALinkpathRecord() throws Exception {
        assertThat(LONG_TARGET.length()).isGreaterThan(100);
        byte[] t = tar(List.of(link("nix/store/abc-x/lib", LONG_TARGET)));
        assertThat(t.length).isEqualTo(512 * 5); // x header, 1 block of records, ustar header, 2 end blocks

        byte[] x = block(t, 0);
        assertThat((char) x[156]).isEqualTo('x');
        assertThat(field(x, 0, 100)).isEqualTo("nix/store/abc-x/PaxHeaders.0/lib");
        assertThat(field(x, 100, 8)).isEqualTo("0000644");
        assertThat(field(x, 108, 8)).isEqualTo("0000000");
        assertThat(field(x, 116, 8)).isEqualTo("0000000");
        assertThat(field(x, 136, 12)).isEqualTo("00000000001");
        assertThat(field(x, 257, 6)).isEqualTo("ustar");
        assertThat(field(x, 263, 2)).isEqualTo("00");
        assertChecksumValid(x);

        
        int size = Integer.parseInt(field(x, 124, 12), 8);
        String records = new String(t, 512, size, StandardCharsets.UTF_8);
        String expected = " linkpath=" + LONG_TARGET + "\n";
        int len = expected.length() + 3;
        assertThat(records).isEqualTo(len + expected);
        assertThat(records).doesNotContain("atime", "ctime", "mtime", "path=nix");
        // the rest of the records block is zero
        for (int i = 512 + size; i < 1024; i++) {
            assertThat(t[i]).isZero();
        }

        byte[] h = block(t, 2);
        assertThat((char) h[156]).isEqualTo('2');
        assertThat(field(h, 0, 100)).isEqualTo("nix/store/abc-x/lib");
        assertThat(field(h, 100, 8)).isEqualTo("0000777");
        assertThat(field(h, 157, 100)).isEqualTo(LONG_TARGET.substring(0, 100));
        assertChecksumValid(h);
    }

    @Test
    void shortNamesGetPlainUstarHeadersWithPinnedFields() throws Exception {
        byte[] t = tar(List.of(dir("nix"), file("nix/readme", 0444, "hello\n"), link("nix/z", "readme")));
        // 3 headers + 1 content block + 2 end blocks, no x header anywhere
        assertThat(t.length).isEqualTo(512 * 6);
        byte[] d = block(t, 0);
        assertThat(field(d, 0, 100)).isEqualTo("nix/");
        assertThat((char) d[156]).isEqualTo('5');
        assertThat(field(d, 100, 8)).isEqualTo("0000755");
        byte[] f = block(t, 1);
        assertThat(field(f, 0, 100)).isEqualTo("nix/readme");
        assertThat((char) f[156]).isEqualTo('0');
        assertThat(field(f, 100, 8)).isEqualTo("0000444");
        assertThat(field(f, 124, 12)).isEqualTo("00000000006");
        assertThat(field(f, 136, 12)).isEqualTo("00000000001");
        assertThat(new String(f, 257, 8, StandardCharsets.US_ASCII)).isEqualTo("ustar\0" + "00");
        assertThat(field(f, 265, 32)).isEqualTo("root");
        assertThat(field(f, 297, 32)).isEqualTo("root");
        assertThat(new String(f, 329, 16, StandardCharsets.US_ASCII)).isEqualTo("0000000\0" + "0000000\0");
        assertThat(field(f, 345, 155)).isEmpty();
        assertChecksumValid(f);
        assertThat(field(block(t, 2), 0, 6)).isEqualTo("hello\n");
        byte[] l = block(t, 3);
        assertThat((char) l[156]).isEqualTo('2');
        assertThat(field(l, 157, 100)).isEqualTo("readme");
        assertThat(field(l, 124, 12)).isEqualTo("00000000000");
        for (int i = 0; i < t.length / 512; i++) {
            assertThat((char) t[i * 512 + 156]).isNotIn('x', 'g', '1', 'L', 'K');
        }
    }

    @Test
    void archiveEndsWithExactlyTwoZeroBlocksAndNoRecordPadding() throws Exception {
        byte[] t = tar(smallTree());
        assertThat(t.length % 512).isZero();
        assertThat(t.length % 10240).isNotZero();
        // 6 headers + x header + records + 2 content blocks + 2 end blocks
        assertThat(t.length).isEqualTo(512 * (6 + 2 + 2 + 2));
        assertThat(Arrays.copyOfRange(t, t.length - 1024, t.length)).containsOnly(0);
        assertThat(Arrays.copyOfRange(t, t.length - 1536, t.length - 1024)).isNotEqualTo(new byte[512]);
        assertThat(tar(List.of())).isEqualTo(new byte[1024]);
    }

    @Test
    void longAsciiNameIsSplitIntoPrefixWithoutPax() throws Exception {
        String p = "nix/store/" + "d".repeat(60) + "/" + "e".repeat(50) + "/" + "f".repeat(90);
        byte[] t = tar(List.of(file(p, 0444, "")));
        assertThat(t.length).isEqualTo(512 * 3);
        byte[] h = block(t, 0);
        assertThat(field(h, 345, 155)).isEqualTo("nix/store/" + "d".repeat(60) + "/" + "e".repeat(50));
        assertThat(field(h, 0, 100)).isEqualTo("f".repeat(90));
        // a directory: the trailing '/' stays in the name part
        byte[] d = block(tar(List.of(dir("a".repeat(120) + "/" + "b".repeat(99)))), 0);
        assertThat(field(d, 345, 155)).isEqualTo("a".repeat(120));
        assertThat(field(d, 0, 100)).isEqualTo("b".repeat(99) + "/");
    }

    @Test
    void unsplittableOrNonAsciiNamesGetAPathRecord() throws Exception {
        String longComponent = "nix/store/" + "g".repeat(120);
        byte[] t = tar(List.of(file(longComponent, 0444, "")));
        assertThat(paxRecords(t)).containsExactly(Map.entry("path", longComponent));
        assertThat(field(block(t, 0), 0, 100)).isEqualTo("nix/store/PaxHeaders.0/" + "g".repeat(77));
        assertThat(field(block(t, 2), 0, 100)).isEqualTo(longComponent.substring(0, 100));

        byte[] u = tar(List.of(dir("nix/h\u00e9llo")));
        assertThat(paxRecords(u)).containsExactly(Map.entry("path", "nix/h\u00e9llo/"));
        assertThat(field(block(u, 2), 0, 100)).isEqualTo("nix/h?llo/");
    }

    @Test
    void bigNumbersAndOwnerNamesMoveToPaxRecords() {
        var f = new TarHeaderEncoder.Fields("big", (byte) '0', 0644, 2097152, 7, "a-rather-long-user-name-of-32-ch",
                "gr\u00fcn", 8L << 30, 1, "");
        byte[] h = TarHeaderEncoder.encode(f);
        assertThat(paxRecords(h)).containsExactly(Map.entry("gname", "gr\u00fcn"), Map.entry("size", "8589934592"),
                Map.entry("uid", "2097152"), Map.entry("uname", "a-rather-long-user-name-of-32-ch"));
        byte[] u = block(h, 2);
        assertThat(field(u, 108, 8)).isEqualTo("0000000");
        assertThat(field(u, 116, 8)).isEqualTo("0000007");
        assertThat(field(u, 124, 12)).isEqualTo("00000000000");
        var maxed = new TarHeaderEncoder.Fields("ok", (byte) '0', 0644, 2097151, 2097151, "root", "root",
                (8L << 30) - 1, 077777777777L, "");
        assertThat(TarHeaderEncoder.encode(maxed)).hasSize(512);
        var negative = new TarHeaderEncoder.Fields("old", (byte) '0', 0644, 0, 0, "root", "root", 0, -1, "");
        assertThat(paxRecords(TarHeaderEncoder.encode(negative))).containsExactly(Map.entry("mtime", "-1"));
    }

    @Test
    void paxRecordLengthCountsItselfAcrossDigitBoundaries() {
        for (int n = 80; n < 1010; n++) {
            byte[] r = TarHeaderEncoder.paxRecords(new TreeMap<>(Map.of("path", "p".repeat(n))));
            String s = new String(r, StandardCharsets.US_ASCII);
            assertThat(Integer.parseInt(s.substring(0, s.indexOf(' ')))).as("n=%d", n).isEqualTo(r.length);
        }
    }

    /** Parses the records of the x header at block 0. */
    static Map<String, String> paxRecords(byte[] t) {
        assertThat((char) t[156]).isEqualTo('x');
        int size = Integer.parseInt(field(t, 124, 12), 8);
        byte[] r = Arrays.copyOfRange(t, 512, 512 + size);
        Map<String, String> out = new TreeMap<>();
        int i = 0;
        while (i < r.length) {
            int sp = i;
            while (r[sp] != ' ') {
                sp++;
            }
            int len = Integer.parseInt(new String(r, i, sp - i, StandardCharsets.US_ASCII));
            String kv = new String(r, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            assertThat(r[i + len - 1]).isEqualTo((byte) '\n');
            out.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            i += len;
        }
        return out;
    }
}
