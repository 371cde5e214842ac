package dev.distrolix.inspect.refs;

import dev.distrolix.blob.Digest;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.inspect.TarEntry;
import dev.distrolix.inspect.scan.ContentSink;
import dev.distrolix.inspect.scan.ImageScan;
import dev.distrolix.inspect.scan.RecordableCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Computes each store path's NAR hash — the {@code narHash} that {@code nix path-info} shows —
 * from the layer stream, by serializing the path as a NAR on the fly into SHA-256. That works
 * when the layer lists a store path's entries the way a NAR does (each directory before its
 * children, names in byte order, every directory present), which distrolix, dockerTools and
 * {@code tar --sort=name} produce. When a path's entries come in another order, spread over
 * several layers, include a hard link, or are touched by a later layer, its hash is left out
 * rather than guessed (see {@link #failures()}).
 */
public final class NarHasher implements RecordableCollector {
    private final Map<String, PathState> states = new HashMap<>();
    /** Layers replayed from a record: layer index → store path base name → the NAR hash made when it was read. */
    private final Map<Integer, Map<String, String>> replayed = new HashMap<>();

    /** One store path's serialization in progress. */
    private static final class PathState {
        final int layer;
        final MessageDigest md = Digest.newSha256();
        final List<String[]> stack = new ArrayList<>(); // {directory relative path, last child name}
        String failure;
        /** From a replayed layer: the hash made when it was read (the content is not read again). */
        boolean replayed;
        Digest known;
        boolean rootSeen;
        boolean rootIsDirectory;
        long pendingPadding;

        PathState(int layer) {
            this.layer = layer;
        }
    }

    @Override
    public void entry(LayerInfo layer, TarEntry e) {
        String base = StorePathIndex.storePathOf(e.path());
        if (base == null) {
            return;
        }
        PathState s = states.computeIfAbsent(base, b -> started(b, layer.index()));
        if (s.failure != null) {
            return;
        }
        if (s.layer != layer.index()) {
            s.failure = "entries in more than one layer";
            return;
        }
        if (e.isWhiteoutMeta()) {
            s.failure = "whiteout inside the store path";
            return;
        }
        String root = "/nix/store/" + base;
        String rel = e.path().length() == root.length() ? "" : e.path().substring(root.length() + 1);
        if (rel.isEmpty()) {
            if (s.rootSeen) {
                s.failure = "listed twice";
                return;
            }
            s.rootSeen = true;
            str(s, "nix-archive-1");
            node(s, e, "");
            return;
        }
        if (!s.rootSeen || !s.rootIsDirectory) {
            s.failure = "entries before their store path's directory";
            return;
        }
        int slash = rel.lastIndexOf('/');
        String parent = slash < 0 ? "" : rel.substring(0, slash);
        String name = rel.substring(slash + 1);
        while (!s.stack.isEmpty() && !s.stack.get(s.stack.size() - 1)[0].equals(parent)) {
            closeDirectory(s);
        }
        if (s.stack.isEmpty()) {
            s.failure = "directory " + parent + " missing or out of order";
            return;
        }
        String[] top = s.stack.get(s.stack.size() - 1);
        if (top[1] != null && compareBytes(top[1], name) >= 0) {
            s.failure = "names not in NAR order in " + (parent.isEmpty() ? "the top directory" : parent);
            return;
        }
        top[1] = name;
        str(s, "entry");
        str(s, "(");
        str(s, "name");
        str(s, name);
        str(s, "node");
        node(s, e, rel);
    }

    private PathState started(String base, int layer) {
        PathState s = new PathState(layer);
        Map<String, String> recorded = replayed.get(layer);
        if (recorded != null) {
            s.replayed = true;
            String known = recorded.get(base);
            s.known = known == null ? null : Digest.parse(known);
        }
        return s;
    }

    @Override
    public void replayLayer(LayerInfo layer, Map<String, String> findings) {
        replayed.put(layer.index(), findings);
    }

    @Override
    public void replayFile(LayerInfo layer, TarEntry file, List<String> findings) {
        String base = StorePathIndex.storePathOf(file.path());
        PathState s = base == null ? null : states.get(base);
        if (s != null && s.failure == null) {
            fileEnd(s, relative(base, file));
        }
    }

    /** The NAR hash of each store path this layer began and hashed whole so far, as if no later layer touched it. */
    @Override
    public Map<String, String> layerFindings(LayerInfo layer) {
        Map<String, String> out = new TreeMap<>();
        states.forEach((base, s) -> {
            if (s.layer == layer.index() && s.failure == null && s.rootSeen) {
                out.put(base, finalDigest(s).toString());
            }
        });
        return out;
    }

    /** The hash once every directory still open is closed, on a copy: the state goes on. */
    private static Digest finalDigest(PathState s) {
        if (s.replayed) {
            return s.known;
        }
        try {
            MessageDigest md = (MessageDigest) s.md.clone();
            for (int i = s.stack.size() - 1; i >= 0; i--) {
                str(md, ")");
                if (!s.stack.get(i)[0].isEmpty()) {
                    str(md, ")");
                }
            }
            return Digest.ofSha256(md);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be cloned", e);
        }
    }

    private static String relative(String base, TarEntry e) {
        String root = "/nix/store/" + base;
        return e.path().length() == root.length() ? "" : e.path().substring(root.length() + 1);
    }

    /** Writes a node's header; a file's content follows through its sink, a directory's children as entries. */
    private void node(PathState s, TarEntry e, String rel) {
        str(s, "(");
        str(s, "type");
        if (e.type() == FsEntry.Type.DIRECTORY) {
            str(s, "directory");
            s.stack.add(new String[] {rel, null});
            if (rel.isEmpty()) {
                s.rootIsDirectory = true;
            }
        } else if (e.type() == FsEntry.Type.SYMLINK) {
            str(s, "symlink");
            str(s, "target");
            str(s, e.linkTarget());
            str(s, ")");
            closeEntry(s, rel);
        } else if (e.type() == FsEntry.Type.FILE) {
            str(s, "regular");
            if ((e.mode() & 0100) != 0) {
                str(s, "executable");
                str(s, "");
            }
            str(s, "contents");
            num(s, e.size());
            s.pendingPadding = pad(e.size());
            // content, padding, ")" and the entry's ")" come from the sink
        } else {
            s.failure = "a " + e.type().name().toLowerCase().replace('_', ' ') + " (NAR has only files, directories, symlinks)";
        }
    }

    @Override
    public ContentSink open(LayerInfo layer, TarEntry file) {
        String base = StorePathIndex.storePathOf(file.path());
        PathState s = base == null ? null : states.get(base);
        if (s == null || s.failure != null) {
            return null;
        }
        String rel = relative(base, file);
        return new ContentSink() {
            @Override
            public boolean accept(byte[] b, int off, int len) {
                s.md.update(b, off, len);
                return true;
            }

            @Override
            public void end() {
                fileEnd(s, rel);
            }
        };
    }

    /** After a file's content: its padding and the closing of its node and entry. */
    private static void fileEnd(PathState s, String rel) {
        s.md.update(new byte[(int) s.pendingPadding]);
        str(s, ")");
        closeEntry(s, rel);
    }

    private static void closeEntry(PathState s, String rel) {
        if (!rel.isEmpty()) {
            str(s, ")");
        }
    }

    private static void closeDirectory(PathState s) {
        String[] dir = s.stack.remove(s.stack.size() - 1);
        str(s, ")");
        closeEntry(s, dir[0]);
    }

    /**
     * Store path base name → NAR hash, for the paths hashed completely and still whole in the
     * merged filesystem (their top entry comes from the layer that was hashed).
     */
    public SortedMap<String, Digest> hashes(FlatFilesystem fs) {
        SortedMap<String, Digest> out = new TreeMap<>();
        states.forEach((base, s) -> {
            FsEntry top = fs.get("/nix/store/" + base);
            if (s.failure == null && s.rootSeen && top != null && top.layer() == s.layer) {
                if (s.replayed && s.known == null) {
                    throw new ImageScan.StaleRecordException("/nix/store/" + base + ": no NAR hash in the record of its layer");
                }
                out.put(base, finalDigest(s));
                s.failure = "finished"; // the digest is final
            }
        });
        return out;
    }

    /** Why a store path has no hash, by base name. */
    public SortedMap<String, String> failures() {
        SortedMap<String, String> out = new TreeMap<>();
        states.forEach((base, s) -> {
            if (s.failure != null && !s.failure.equals("finished")) {
                out.put(base, s.failure);
            }
        });
        return out;
    }

    private static void str(PathState s, String v) {
        str(s.md, v);
    }

    private static void str(MessageDigest md, String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        num(md, b.length);
        md.update(b);
        md.update(new byte[(int) pad(b.length)]);
    }

    private static void num(PathState s, long n) {
        num(s.md, n);
    }

    private static void num(MessageDigest md, long n) {
        md.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
    }

    private static long pad(long len) {
        return (8 - len % 8) % 8;
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
