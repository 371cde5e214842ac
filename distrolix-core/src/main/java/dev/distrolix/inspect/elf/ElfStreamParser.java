package dev.distrolix.inspect.elf;

import dev.distrolix.inspect.scan.ContentSink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads an ELF file's loader facts from its bytes as they stream past, once, without seeking:
 * the header and program headers (at the start) give the file ranges of {@code PT_INTERP} and
 * {@code PT_DYNAMIC}; the dynamic section gives {@code DT_STRTAB} (a virtual address, mapped to a
 * file offset through the {@code PT_LOAD} segments), whose bytes are either already in the kept
 * prefix (the usual layout: .dynstr early in the first segment) or still ahead (patchelf moves
 * .dynamic and .dynstr to the end of the file). Keeps at most the first {@value #PREFIX_MAX} bytes
 * plus those ranges, so memory does not grow with the file. ELF32/ELF64, little and big endian.
 */
public final class ElfStreamParser implements ContentSink {
    static final int PREFIX_MAX = 1 << 20;
    static final int RANGE_MAX = 4 << 20;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final int DT_NEEDED = 1;
    private static final int DT_STRTAB = 5;
    private static final int DT_STRSZ = 10;
    private static final int DT_SONAME = 14;
    private static final int DT_RPATH = 15;
    private static final int DT_RUNPATH = 29;

    private final Consumer<ElfInfo> result;
    private byte[] prefix = new byte[4096];
    private int prefixLen;
    private long pos;
    private boolean notElf;
    private boolean done;
    // from the headers
    private int elfClass;
    private boolean big;
    private int type;
    private int machine;
    private boolean headersParsed;
    private final List<long[]> loads = new ArrayList<>(); // {offset, vaddr, filesz}
    private Range interp;
    private Range dynamic;
    private Range strtab;
    private String problem;

    /** A file range to capture: [offset, offset + bytes.length). */
    private static final class Range {
        final long offset;
        final byte[] bytes;
        int filled;

        Range(long offset, int length) {
            this.offset = offset;
            this.bytes = new byte[length];
        }

        boolean complete() {
            return filled == bytes.length;
        }
    }

    /** {@code result} gets the facts when the file is an ELF; nothing otherwise. */
    public ElfStreamParser(Consumer<ElfInfo> result) {
        this.result = result;
    }

    @Override
    public boolean accept(byte[] b, int off, int len) {
        if (notElf || done) {
            return false;
        }
        keepPrefix(b, off, len);
        long chunkStart = pos;
        pos += len;
        if (!headersParsed && !parseHeaders()) {
            return !notElf;
        }
        fill(interp, b, off, len, chunkStart);
        fill(dynamic, b, off, len, chunkStart);
        if (dynamic != null && dynamic.complete() && strtab == null && problem == null) {
            locateStrtab();
        }
        fill(strtab, b, off, len, chunkStart);
        done = problem != null || (complete(interp) && complete(dynamic) && (dynamic == null || complete(strtab)));
        return !done;
    }

    private static boolean complete(Range r) {
        return r == null || r.complete();
    }

    @Override
    public void end() {
        if (notElf || elfClass == 0) {
            return; // not an ELF file, or fewer bytes than an ELF header
        }
        if (!headersParsed) {
            result.accept(new ElfInfo(elfClass, big, machine, type, null, List.of(), List.of(), List.of(), null,
                    false, false, "truncated program headers"));
            return;
        }
        String interpreter = null;
        if (interp != null) {
            if (interp.complete()) {
                interpreter = cString(interp.bytes, 0);
            } else {
                problem = "truncated PT_INTERP";
            }
        }
        List<String> needed = new ArrayList<>();
        List<String> rpath = new ArrayList<>();
        List<String> runpath = new ArrayList<>();
        String soname = null;
        boolean complete = problem == null;
        if (dynamic != null && complete) {
            if (!dynamic.complete()) {
                problem = "truncated dynamic section";
            } else if (strtab == null || !strtab.complete()) {
                problem = problem != null ? problem : "dynamic string table not read";
            } else {
                for (long[] d : dynEntries()) {
                    int tag = (int) d[0];
                    if (tag == DT_NEEDED || tag == DT_RPATH || tag == DT_RUNPATH || tag == DT_SONAME) {
                        if (d[1] < 0 || d[1] >= strtab.bytes.length) {
                            problem = "string offset outside DT_STRTAB";
                            break;
                        }
                        String s = cString(strtab.bytes, (int) d[1]);
                        if (tag == DT_NEEDED) {
                            needed.add(s);
                        } else if (tag == DT_RPATH) {
                            rpath.addAll(split(s));
                        } else if (tag == DT_RUNPATH) {
                            runpath.addAll(split(s));
                        } else {
                            soname = s;
                        }
                    }
                }
            }
            complete = problem == null;
        }
        result.accept(new ElfInfo(elfClass, big, machine, type, interpreter, needed, rpath, runpath, soname,
                dynamic != null, complete, problem));
    }

    private boolean parseHeaders() {
        if (prefixLen >= 4 && !(prefix[0] == 0x7f && prefix[1] == 'E' && prefix[2] == 'L' && prefix[3] == 'F')) {
            notElf = true;
            return false;
        }
        if (prefixLen < 64) {
            return false;
        }
        elfClass = prefix[4] == 1 ? 32 : prefix[4] == 2 ? 64 : 0;
        big = prefix[5] == 2;
        if (elfClass == 0 || (prefix[5] != 1 && prefix[5] != 2)) {
            notElf = true;
            return false;
        }
        ByteBuffer h = buffer(prefix, 0, prefixLen);
        if (type == 0) {
            type = Short.toUnsignedInt(h.getShort(16));
            machine = Short.toUnsignedInt(h.getShort(18));
        }
        long phoff = elfClass == 64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
        int phentsize = Short.toUnsignedInt(h.getShort(elfClass == 64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(h.getShort(elfClass == 64 ? 56 : 44));
        long end = phoff + (long) phentsize * phnum;
        if (phnum == 0xffff || phentsize < (elfClass == 64 ? 56 : 32) || end > PREFIX_MAX) {
            headersParsed = true;
            problem = "program headers not readable";
            return true;
        }
        if (prefixLen < end) {
            return false; // wait for more bytes
        }
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            int ptype = h.getInt(o);
            long offset = elfClass == 64 ? h.getLong(o + 8) : Integer.toUnsignedLong(h.getInt(o + 4));
            long vaddr = elfClass == 64 ? h.getLong(o + 16) : Integer.toUnsignedLong(h.getInt(o + 8));
            long filesz = elfClass == 64 ? h.getLong(o + 32) : Integer.toUnsignedLong(h.getInt(o + 16));
            if (ptype == PT_LOAD) {
                loads.add(new long[] {offset, vaddr, filesz});
            } else if (ptype == PT_INTERP) {
                interp = range(offset, filesz);
            } else if (ptype == PT_DYNAMIC) {
                dynamic = range(offset, filesz);
            }
        }
        headersParsed = true;
        return true;
    }

    private Range range(long offset, long size) {
        if (size < 0 || size > RANGE_MAX || offset < 0) {
            problem = "segment too large";
            return null;
        }
        Range r = new Range(offset, (int) size);
        copyFromPrefix(r);
        return r;
    }

    /** Fills what the kept prefix already holds of a range. */
    private void copyFromPrefix(Range r) {
        if (r.offset < prefixLen) {
            int n = (int) Math.min(r.bytes.length, prefixLen - r.offset);
            System.arraycopy(prefix, (int) r.offset, r.bytes, 0, n);
            r.filled = n;
        }
    }

    private void locateStrtab() {
        long addr = -1;
        long size = -1;
        for (long[] d : dynEntries()) {
            if (d[0] == DT_STRTAB) {
                addr = d[1];
            } else if (d[0] == DT_STRSZ) {
                size = d[1];
            }
        }
        if (addr < 0 || size < 0) {
            problem = "no DT_STRTAB";
            return;
        }
        for (long[] l : loads) {
            if (addr >= l[1] && addr < l[1] + l[2]) {
                strtab = range(l[0] + (addr - l[1]), size);
                return;
            }
        }
        problem = "DT_STRTAB outside every PT_LOAD";
    }

    /** The dynamic section's {tag, value} pairs up to DT_NULL. */
    private List<long[]> dynEntries() {
        List<long[]> out = new ArrayList<>();
        ByteBuffer d = buffer(dynamic.bytes, 0, dynamic.bytes.length);
        int size = elfClass == 64 ? 16 : 8;
        for (int o = 0; o + size <= dynamic.bytes.length; o += size) {
            long tag = elfClass == 64 ? d.getLong(o) : d.getInt(o);
            long val = elfClass == 64 ? d.getLong(o + 8) : Integer.toUnsignedLong(d.getInt(o + 4));
            if (tag == 0) {
                break;
            }
            out.add(new long[] {tag, val});
        }
        return out;
    }

    private void keepPrefix(byte[] b, int off, int len) {
        if (pos >= PREFIX_MAX) {
            return;
        }
        int n = (int) Math.min(len, PREFIX_MAX - pos);
        if (prefixLen + n > prefix.length) {
            prefix = Arrays.copyOf(prefix, Math.min(PREFIX_MAX, Math.max(prefix.length * 2, prefixLen + n)));
        }
        System.arraycopy(b, off, prefix, prefixLen, n);
        prefixLen += n;
    }

    /** Copies what the chunk at file offset {@code start} holds of the range's next bytes. */
    private void fill(Range r, byte[] b, int off, int len, long start) {
        if (r == null || r.complete()) {
            return;
        }
        long want = r.offset + r.filled; // next file offset the range needs
        if (want < start) {
            problem = "a needed part of the file was passed before it was known"; // not in the kept prefix
            return;
        }
        if (want >= start + len) {
            return;
        }
        int from = (int) (want - start);
        int n = Math.min(len - from, r.bytes.length - r.filled);
        System.arraycopy(b, off + from, r.bytes, r.filled, n);
        r.filled += n;
    }

    private ByteBuffer buffer(byte[] bytes, int off, int len) {
        return ByteBuffer.wrap(bytes, off, len).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static String cString(byte[] b, int from) {
        int end = from;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split(":", -1)) {
            out.add(p);
        }
        return out;
    }
}
