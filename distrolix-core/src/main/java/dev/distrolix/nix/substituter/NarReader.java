package dev.distrolix.nix.substituter;

import dev.distrolix.nix.NarEntry;
import dev.distrolix.nix.StoreSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses a NAR ({@code nix-archive-1}) as it streams into the {@link NarEntry} walk that
 * {@link dev.distrolix.nix.LocalStoreSource} gives: pre-order, children in ascending unsigned byte
 * order (which the NAR itself must have). A regular file's content is handed out as a stream over the
 * NAR itself; what the visitor does not read is skipped. Nothing is buffered beyond one token.
 *
 * <p>Rejected, as Nix rejects them: a wrong magic, unknown tokens, non-zero padding, names that are
 * empty, ".", "..", contain '/' or NUL, or are not in strictly ascending order, and bytes after the root.
 * Names and targets must be valid UTF-8 (as LocalStoreSource demands).
 */
public final class NarReader {
    static final int MAX_NAME = 255;
    static final int MAX_TARGET = 4095;
    static final int MAX_DEPTH = 256;

    private final InputStream in;
    private final byte[] eight = new byte[8];

    private NarReader(InputStream in) {
        this.in = in;
    }

    /** Reads the whole NAR from {@code in} (to its end) and visits every node. */
    public static void read(InputStream in, StoreSource.NarVisitor visitor) throws IOException {
        NarReader r = new NarReader(in);
        r.expect("nix-archive-1", 16);
        r.node("", visitor, 0);
        if (in.read() != -1) {
            throw new NarFormatException("bytes after the end of the NAR");
        }
    }

    private void node(String path, StoreSource.NarVisitor visitor, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new NarFormatException("directories nested deeper than " + MAX_DEPTH);
        }
        expect("(", 16);
        expect("type", 16);
        String type = string(16);
        switch (type) {
            case "regular" -> {
                String t = string(16);
                boolean executable = false;
                if (t.equals("executable")) {
                    expect("", 16);
                    executable = true;
                    t = string(16);
                }
                if (!t.equals("contents")) {
                    throw new NarFormatException("expected 'contents' at '" + path + "', got '" + t + "'");
                }
                long size = u64();
                Content content = new Content(size);
                visitor.visit(new NarEntry.Regular(path, executable, size, () -> {
                    if (content.opened) {
                        throw new IOException("the content of '" + path + "' was already opened");
                    }
                    content.opened = true;
                    return content;
                }));
                content.skipRest();
                padding(size);
                expect(")", 16);
            }
            case "symlink" -> {
                expect("target", 16);
                String target = utf8(bytes(MAX_TARGET), path);
                if (target.isEmpty() || target.indexOf('\0') >= 0) {
                    throw new NarFormatException("bad symlink target at '" + path + "'");
                }
                visitor.visit(new NarEntry.Symlink(path, target));
                expect(")", 16);
            }
            case "directory" -> {
                visitor.visit(new NarEntry.Directory(path));
                byte[] previous = null;
                while (true) {
                    String t = string(16);
                    if (t.equals(")")) {
                        break;
                    }
                    if (!t.equals("entry")) {
                        throw new NarFormatException("expected 'entry' or ')' in '" + path + "', got '" + t + "'");
                    }
                    expect("(", 16);
                    expect("name", 16);
                    byte[] name = bytes(MAX_NAME);
                    if (name.length == 0 || Arrays.equals(name, new byte[] {'.'})
                            || Arrays.equals(name, new byte[] {'.', '.'}) || contains(name, (byte) '/')
                            || contains(name, (byte) 0)) {
                        throw new NarFormatException("bad entry name in '" + path + "'");
                    }
                    if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                        throw new NarFormatException("entries of '" + path + "' are not in ascending order");
                    }
                    previous = name;
                    String n = utf8(name, path);
                    expect("node", 16);
                    node(path.isEmpty() ? n : path + "/" + n, visitor, depth + 1);
                    expect(")", 16);
                }
                return; // the directory's ")" was read by the loop
            }
            default -> throw new NarFormatException("unknown node type '" + type + "' at '" + path + "'");
        }
    }

    /** A regular file's bytes, read straight from the NAR. */
    private final class Content extends InputStream {
        private long remaining;
        boolean opened;

        Content(long size) {
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new NarFormatException("the NAR ends inside a file's contents");
            }
            remaining -= n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] buf = new byte[8192];
            while (remaining > 0) {
                read(buf, 0, (int) Math.min(buf.length, remaining));
            }
        }

        @Override
        public void close() {
            // the NAR stream stays open: the walk goes on
        }
    }

    private void expect(String token, int max) throws IOException {
        String t = string(max);
        if (!t.equals(token)) {
            throw new NarFormatException("expected '" + token + "', got '" + (t.length() > 40 ? t.substring(0, 40) : t) + "'");
        }
    }

    private String string(int max) throws IOException {
        return new String(bytes(max), StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(int max) throws IOException {
        long len = u64();
        if (len > max) {
            throw new NarFormatException("a NAR token of " + len + " bytes (at most " + max + " expected here)");
        }
        byte[] b = in.readNBytes((int) len);
        if (b.length != len) {
            throw new NarFormatException("the NAR ends early");
        }
        padding(len);
        return b;
    }

    private void padding(long len) throws IOException {
        int pad = (int) ((8 - (len % 8)) % 8);
        if (pad > 0) {
            if (in.readNBytes(eight, 0, pad) != pad) {
                throw new NarFormatException("the NAR ends early");
            }
            for (int i = 0; i < pad; i++) {
                if (eight[i] != 0) {
                    throw new NarFormatException("non-zero padding in the NAR");
                }
            }
        }
    }

    private long u64() throws IOException {
        if (in.readNBytes(eight, 0, 8) != 8) {
            throw new NarFormatException("the NAR ends early");
        }
        long v = ByteBuffer.wrap(eight).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        if (v < 0) {
            throw new NarFormatException("a NAR length out of range");
        }
        return v;
    }

    private static boolean contains(byte[] b, byte x) {
        for (byte y : b) {
            if (y == x) {
                return true;
            }
        }
        return false;
    }

    private static String utf8(byte[] b, String where) throws NarFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new NarFormatException("a name or symlink target in '" + where + "' is not valid UTF-8");
        }
    }

}
