package dev.distrolix.transport;

import dev.distrolix.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * The members of an uncompressed tar archive (oci-archive, docker-archive), indexed in one pass
 * over its headers with bounded memory: member data is skipped by seeking, never read. Whatever
 * the file holds, indexing ends with an index or an {@link InputException} naming the archive
 * and what is wrong:
 * <ul>
 *   <li>at most {@link #MAX_MEMBERS} members (an index of a million members would take the heap);</li>
 *   <li>PAX records and GNU long names of at most {@link #MAX_META} bytes each (Go's archive/tar
 *       limit; commons-compress would buffer a 1 GiB "long name" whole);</li>
 *   <li>no sparse members (nothing that writes images makes them; one could expand to terabytes);</li>
 *   <li>no member whose declared size runs past the end of the file; no corrupt header.</li>
 * </ul>
 * Symbolic and hard links between members are kept, so a link to a member can be read as that
 * member (legacy {@code docker save} links repeated {@code layer.tar}s).
 */
final class TarIndex {
    static final int MAX_MEMBERS = 100_000;
    static final int MAX_META = 1 << 20;
    private static final int BLOCK = 512;
    private static final ZipEncoding UTF8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name());

    /** A regular member's data: where it starts in the file and how long it is. */
    record Member(String name, long offset, long size) {}

    /** A symbolic ({@code symbolic} true) or hard link member. */
    record Link(String name, String target, boolean symbolic) {}

    final Map<String, Member> files = new HashMap<>();
    final Map<String, Link> links = new HashMap<>();

    private final String what;
    private final FileChannel channel;
    private final long length;
    private final ByteBuffer header = ByteBuffer.allocate(BLOCK);

    private TarIndex(String what, FileChannel channel) throws IOException {
        this.what = what;
        this.channel = channel;
        this.length = channel.size();
    }

    /** Indexes the archive open on {@code channel}; {@code what} names it in errors. */
    static TarIndex scan(String what, FileChannel channel) throws IOException {
        TarIndex index = new TarIndex(what, channel);
        index.scan();
        return index;
    }

    private InputException error(String message) {
        return new InputException(what + ": " + message);
    }

    private void scan() throws IOException {
        long pos = 0;
        int members = 0;
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            if (pos == length) {
                if (pos == 0) {
                    throw error("not a tar archive (the file is empty)");
                }
                return; // no end-of-archive marker: GNU tar accepts that too
            }
            byte[] h = readBlock(pos);
            if (isZero(h)) {
                return;
            }
            if (!checksumOk(h)) {
                throw error(pos == 0 ? "not a tar archive (no valid tar header at its start)"
                        : "corrupt tar header at offset " + pos + " (bad checksum; truncated or altered archive?)");
            }
            if (++members > MAX_MEMBERS) {
                throw error("the archive has more than " + MAX_MEMBERS + " members; not an image archive");
            }
            TarArchiveEntry e;
            try {
                e = new TarArchiveEntry(h, UTF8, false);
            } catch (IOException | RuntimeException bad) {
                throw error("corrupt tar header at offset " + pos + " (" + TarArchiveFiles.oneLine(bad) + ")");
            }
            long size = e.getSize();
            if (pax.containsKey("size")) {
                size = paxNumber(pax.get("size"), "size", pos);
            }
            long data = pos + BLOCK;
            String name = longName != null ? longName : pax.getOrDefault("path", e.getName());
            if (size < 0 || size > length - data) {
                throw error("member '" + name + "' declares " + size + " bytes, more than the " + Math.max(0, length - data)
                        + " left in the archive (truncated or corrupt)");
            }
            byte type = e.getLinkFlag();
            boolean meta = true;
            switch (type) {
                case 'x', 'X' -> pax.putAll(paxRecords(readMeta(data, size, "PAX header"), pos));
                case 'g' -> readMeta(data, size, "global PAX header"); // nothing of it matters to us
                case 'L' -> longName = cString(readMeta(data, size, "GNU long name"));
                case 'K' -> longLink = cString(readMeta(data, size, "GNU long link name"));
                default -> meta = false;
            }
            if (!meta) {
                if (type == 'S' || e.isSparse() || pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
                    throw error("member '" + name + "' is a sparse file; image archives hold none");
                }
                String link = longLink != null ? longLink : pax.getOrDefault("linkpath", e.getLinkName());
                if (type == '0' || type == 0 || type == '7') {
                    files.put(name, new Member(name, data, size));
                    links.remove(name);
                } else if (type == '1' || type == '2') {
                    links.put(name, new Link(name, link, type == '2'));
                    files.remove(name);
                }
                pax.clear();
                longName = null;
                longLink = null;
            }
            pos = data + (size + BLOCK - 1) / BLOCK * BLOCK;
        }
    }

    private byte[] readBlock(long pos) throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            int n = channel.read(header, pos + header.position());
            if (n < 0) {
                throw error("truncated tar archive (it ends inside the header at offset " + pos + ")");
            }
        }
        return header.array().clone();
    }

    private byte[] readMeta(long data, long size, String kind) throws IOException {
        if (size > MAX_META) {
            throw error("a " + kind + " of " + size + " bytes (at offset " + (data - BLOCK) + "); at most " + MAX_META
                    + " are allowed");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining()) {
            if (channel.read(b, data + b.position()) < 0) {
                throw error("truncated tar archive (it ends inside a " + kind + ")");
            }
        }
        return b.array();
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** PAX records: "LEN key=value\n", LEN counting the whole record. */
    private Map<String, String> paxRecords(byte[] b, long pos) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < b.length) {
            if (b[i] == 0) {
                break; // padding
            }
            int sp = i;
            while (sp < b.length && b[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(b, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException bad) {
                throw error("corrupt PAX header at offset " + pos + " (a record length is not a number)");
            }
            int end = i + len;
            if (len <= 0 || end > b.length || sp >= end || b[end - 1] != '\n') {
                throw error("corrupt PAX header at offset " + pos + " (a record's length is wrong)");
            }
            String record = new String(b, sp + 1, end - sp - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw error("corrupt PAX header at offset " + pos + " (a record has no key=value)");
            }
            out.put(record.substring(0, eq), record.substring(eq + 1));
            i = end;
        }
        return out;
    }

    private long paxNumber(String value, String key, long pos) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException bad) {
            throw error("corrupt PAX header before offset " + pos + " (" + key + " '" + value + "' is not a number)");
        }
    }

    /** commons-compress throws on a checksum field that is not octal; that is just a bad header. */
    private static boolean checksumOk(byte[] h) {
        try {
            return TarUtils.verifyCheckSum(h);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
