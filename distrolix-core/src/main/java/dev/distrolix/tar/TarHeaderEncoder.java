package dev.distrolix.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes the header blocks of one tar entry: a POSIX ustar header, preceded by a PAX {@code x}
 * header only when some field cannot be represented in ustar. Every byte is decided here, so the
 * output does not depend on any library's defaults. Frozen conventions (they are in every diff_id):
 * <ul>
 *   <li>numeric fields are zero-padded octal ended by NUL; the checksum is 6 octal digits, NUL, space;
 *   <li>mode holds only the permission bits (no file-type bits), devmajor/devminor are 0;
 *   <li>a long ASCII name is split into prefix + name at the last '/' that fits (as GNU tar and Go do);
 *   <li>PAX triggers: non-ASCII or unsplittable name (path), non-ASCII or &gt; 100 byte link target
 *       (linkpath), size &gt; 8 GiB - 1, uid/gid &gt; 2097151, non-ASCII or &gt; 31 byte
 *       uname/gname, mtime negative or &gt; 8^11 - 1 (integer seconds);
 *   <li>PAX records are sorted by key; the x header is named {@code <dir>/PaxHeaders.0/<base>}
 *       (ASCII, at most 100 bytes), mode 0644, uid/gid 0, no uname/gname, the entry's mtime;
 *   <li>a ustar field superseded by a PAX record holds the value with non-ASCII characters
 *       replaced by '?' and truncated to the field (numbers: 0), for readers without PAX.
 * </ul>
 */
final class TarHeaderEncoder {
    static final int BLOCK = 512;
    static final long MAX_ID = 07777777L;
    static final long MAX_11 = 077777777777L;
    private static final byte[] MAGIC = {'u', 's', 't', 'a', 'r', 0, '0', '0'};

    private TarHeaderEncoder() {}

    /** The fields of one entry; {@code name} already carries the trailing '/' of a directory. */
    record Fields(String name, byte type, int mode, long uid, long gid, String uname, String gname,
                  long size, long mtime, String linkname) {}

    /** Header bytes for {@code f}: zero or more x blocks then one ustar block; length is a multiple of 512. */
    static byte[] encode(Fields f) {
        Map<String, String> pax = new TreeMap<>();
        byte[] block = new byte[BLOCK];

        byte[] name = TarPaths.utf8(f.name(), "path");
        if (isAscii(name) && name.length <= 100) {
            put(block, 0, 100, name);
        } else {
            int split = isAscii(name) ? splitPoint(name) : -1;
            if (split > 0) {
                put(block, 345, 155, Arrays.copyOfRange(name, 0, split));
                put(block, 0, 100, Arrays.copyOfRange(name, split + 1, name.length));
            } else {
                pax.put("path", f.name());
                put(block, 0, 100, fallback(f.name(), 100));
            }
        }
        byte[] link = TarPaths.utf8(f.linkname(), "link target");
        if (isAscii(link) && link.length <= 100) {
            put(block, 157, 100, link);
        } else {
            pax.put("linkpath", f.linkname());
            put(block, 157, 100, fallback(f.linkname(), 100));
        }
        octal(block, 100, 8, f.mode());
        octal(block, 108, 8, number(pax, "uid", f.uid(), MAX_ID));
        octal(block, 116, 8, number(pax, "gid", f.gid(), MAX_ID));
        octal(block, 124, 12, number(pax, "size", f.size(), MAX_11));
        long mtimeField = number(pax, "mtime", f.mtime(), MAX_11);
        octal(block, 136, 12, mtimeField);
        block[156] = f.type();
        System.arraycopy(MAGIC, 0, block, 257, MAGIC.length);
        owner(block, 265, pax, "uname", f.uname());
        owner(block, 297, pax, "gname", f.gname());
        octal(block, 329, 8, 0);
        octal(block, 337, 8, 0);
        checksum(block);

        if (pax.isEmpty()) {
            return block;
        }
        byte[] records = paxRecords(pax);
        int padded = (records.length + BLOCK - 1) / BLOCK * BLOCK;
        byte[] out = new byte[BLOCK + padded + BLOCK];
        byte[] x = new byte[BLOCK];
        put(x, 0, 100, paxHeaderName(f.name()));
        octal(x, 100, 8, 0644);
        octal(x, 108, 8, 0);
        octal(x, 116, 8, 0);
        octal(x, 124, 12, records.length);
        octal(x, 136, 12, mtimeField);
        x[156] = 'x';
        System.arraycopy(MAGIC, 0, x, 257, MAGIC.length);
        octal(x, 329, 8, 0);
        octal(x, 337, 8, 0);
        checksum(x);
        System.arraycopy(x, 0, out, 0, BLOCK);
        System.arraycopy(records, 0, out, BLOCK, records.length);
        System.arraycopy(block, 0, out, BLOCK + padded, BLOCK);
        return out;
    }

    /** {@code "<len> <key>=<value>\n"} per record, where len counts the whole record including itself. */
    static byte[] paxRecords(Map<String, String> pax) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : pax.entrySet()) {
            byte[] kv = (e.getKey() + "=").getBytes(StandardCharsets.US_ASCII);
            byte[] v = TarPaths.utf8(e.getValue(), e.getKey());
            int base = kv.length + v.length + 2; // ' ' and '\n'
            int len = base + 1;
            while (len != base + Integer.toString(len).length()) {
                len = base + Integer.toString(len).length();
            }
            out.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(kv);
            out.writeBytes(v);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * Index of the '/' that splits {@code name} into prefix (&le; 155) and name (1..100 bytes), or
     * -1. Takes the last '/' within the first 156 bytes, ignoring a directory's trailing '/', which
     * is what GNU tar and Go's archive/tar do.
     */
    static int splitPoint(byte[] name) {
        int length = name.length;
        if (length > 156) {
            length = 156;
        } else if (name[length - 1] == '/') {
            length--;
        }
        int i = length - 1;
        while (i > 0 && name[i] != '/') {
            i--;
        }
        int nameLen = name.length - i - 1;
        if (i <= 0 || nameLen == 0 || nameLen > 100 || i > 155) {
            return -1;
        }
        return i;
    }

    /** x header name in the style of Go's archive/tar: deterministic, ASCII, never a real path. */
    static byte[] paxHeaderName(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = n.lastIndexOf('/');
        String s = slash < 0 ? "PaxHeaders.0/" + n
                : n.substring(0, slash) + "/PaxHeaders.0/" + n.substring(slash + 1);
        return fallback(s, 100);
    }

    private static long number(Map<String, String> pax, String key, long v, long max) {
        if (v < 0 || v > max) {
            pax.put(key, Long.toString(v));
            return 0;
        }
        return v;
    }

    private static void owner(byte[] block, int off, Map<String, String> pax, String key, String v) {
        byte[] b = TarPaths.utf8(v, key);
        if (isAscii(b) && b.length <= 31) {
            put(block, off, 32, b);
        } else {
            pax.put(key, v);
            put(block, off, 32, fallback(v, 31));
        }
    }

    private static byte[] fallback(String s, int max) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> sb.append(c < 0x80 ? (char) c : '?'));
        byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return b.length <= max ? b : Arrays.copyOf(b, max);
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static void put(byte[] block, int off, int len, byte[] v) {
        if (v.length > len) {
            throw new IllegalStateException("field overflow");
        }
        System.arraycopy(v, 0, block, off, v.length);
    }

    /** Zero-padded octal in {@code len - 1} digits, then NUL. */
    private static void octal(byte[] block, int off, int len, long v) {
        String s = Long.toOctalString(v);
        int digits = len - 1;
        if (s.length() > digits) {
            throw new IllegalStateException("octal overflow: " + v);
        }
        for (int i = 0; i < digits; i++) {
            int j = i - (digits - s.length());
            block[off + i] = (byte) (j < 0 ? '0' : s.charAt(j));
        }
        block[off + digits] = 0;
    }

    private static void checksum(byte[] block) {
        Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        octal(block, 148, 7, sum); // 6 digits + NUL, the space at 155 stays
    }
}
