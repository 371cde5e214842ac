package dev.distrolix.nix;

import dev.distrolix.blob.Digest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal NAR parser for tests: turns {@code nix-store --dump} output into a flat list of
 * nodes in NAR order, to compare with what a {@link StoreSource} yields.
 */
public final class NarTestReader {
    /** One node; {@code detail} is the symlink target or the sha256 hex of a file's contents. */
    public record Node(String path, String type, boolean executable, long size, String detail) {}

    private final ByteBuffer in;
    private final List<Node> nodes = new ArrayList<>();

    private NarTestReader(byte[] nar) {
        this.in = ByteBuffer.wrap(nar).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static List<Node> parse(byte[] nar) {
        NarTestReader r = new NarTestReader(nar);
        r.expect("nix-archive-1");
        r.node("");
        if (r.in.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes after NAR");
        }
        return r.nodes;
    }

    private void node(String path) {
        expect("(");
        expect("type");
        String type = str();
        switch (type) {
            case "regular" -> {
                String tag = str();
                boolean exec = false;
                if (tag.equals("executable")) {
                    exec = true;
                    expect("");
                    tag = str();
                }
                if (!tag.equals("contents")) {
                    throw new IllegalArgumentException("expected contents, got " + tag);
                }
                byte[] data = bytes();
                nodes.add(new Node(path, "regular", exec, data.length, Digest.sha256(data).hex()));
                expect(")");
            }
            case "symlink" -> {
                expect("target");
                nodes.add(new Node(path, "symlink", false, 0, str()));
                expect(")");
            }
            case "directory" -> {
                nodes.add(new Node(path, "directory", false, 0, ""));
                while (true) {
                    String tag = str();
                    if (tag.equals(")")) {
                        break;
                    }
                    if (!tag.equals("entry")) {
                        throw new IllegalArgumentException("expected entry, got " + tag);
                    }
                    expect("(");
                    expect("name");
                    String name = str();
                    expect("node");
                    node(path.isEmpty() ? name : path + "/" + name);
                    expect(")");
                }
            }
            default -> throw new IllegalArgumentException("bad node type " + type);
        }
    }

    private void expect(String s) {
        String got = str();
        if (!got.equals(s)) {
            throw new IllegalArgumentException("expected '" + s + "', got '" + got + "'");
        }
    }

    private String str() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    private byte[] bytes() {
        long n = in.getLong();
        byte[] b = new byte[Math.toIntExact(n)];
        in.get(b);
        int pad = (int) (-n & 7);
        byte[] padding = new byte[pad];
        in.get(padding);
        if (!Arrays.equals(padding, new byte[pad])) {
            throw new IllegalArgumentException("non-zero NAR padding");
        }
        return b;
    }
}
