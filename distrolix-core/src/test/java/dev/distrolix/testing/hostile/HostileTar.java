package dev.distrolix.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Tar bytes written header by header, so a test can write what no tar library would: wrong sizes,
 * sparse and special entry types, names that are not UTF-8, gigantic declared sizes (as sparse
 * files on disk, never written out).
 */
public final class HostileTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A ustar header block; {@code name} as raw bytes (may be non-UTF-8), {@code size} in octal (11 digits). */
    public static byte[] header(byte[] name, char type, long size, String link) {
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000001");
        h[156] = (byte) type;
        if (link != null) {
            put(h, 157, link);
        }
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    public static byte[] header(String name, char type, long size) {
        return header(name.getBytes(StandardCharsets.UTF_8), type, size, null);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, 512 - off));
    }

    public HostileTar file(String name, byte[] data) {
        return entry(name.getBytes(StandardCharsets.UTF_8), '0', data, null);
    }

    public HostileTar file(String name, String data) {
        return file(name, data.getBytes(StandardCharsets.UTF_8));
    }

    public HostileTar entry(byte[] name, char type, byte[] data, String link) {
        out.writeBytes(header(name, type, data.length, link));
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return this;
    }

    public HostileTar symlink(String name, String target) {
        return entry(name.getBytes(StandardCharsets.UTF_8), '2', new byte[0], target);
    }

    public HostileTar dir(String name) {
        return entry(name.getBytes(StandardCharsets.UTF_8), '5', new byte[0], null);
    }

    /** A PAX extended header with these records, for the next entry. */
    public HostileTar pax(String... keyValues) {
        StringBuilder sb = new StringBuilder();
        for (String kv : keyValues) {
            String body = " " + kv + "\n";
            int len = body.length();
            int total = len + String.valueOf(len).length();
            if (String.valueOf(total).length() != String.valueOf(len).length()) {
                total++;
            }
            sb.append(total).append(body);
        }
        return entry("PaxHeaders/x".getBytes(StandardCharsets.UTF_8), 'x', sb.toString().getBytes(StandardCharsets.UTF_8),
                null);
    }

    /** Raw bytes as they are (a header without data, a partial block). */
    public HostileTar raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The archive with its two zero end blocks. */
    public byte[] bytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(out.toByteArray());
        b.writeBytes(new byte[1024]);
        return b.toByteArray();
    }

    /** The archive without end blocks (a stream cut off at an entry boundary). */
    public byte[] unterminated() {
        return out.toByteArray();
    }

    /**
     * A file that starts with {@code head} (a header declaring a huge entry) and is {@code length}
     * bytes long, the rest a hole: gigabytes declared, nothing written.
     */
    public static Path sparseFile(Path file, byte[] head, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0);
            f.write(head);
            f.setLength(length);
        }
        return file;
    }
}
