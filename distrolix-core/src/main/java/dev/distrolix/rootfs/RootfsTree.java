package dev.distrolix.rootfs;

import dev.distrolix.InputException;
import dev.distrolix.nix.NarEntry;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.LayerEntry.Ownership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The files an image declares besides its store paths: profile links, accounts files and the
 * spec's paths, merged into one tree and emitted as tar entries in layer order.
 *
 * <p>Order of insertion matters and is fixed by the caller: profile links first (so declared
 * paths may replace a profile link, which is reported as a notice), then everything declared.
 */
public final class RootfsTree {
    private static final int IMPLICIT_DIR_MODE = 0755;

    private final FsNode.Dir root = new FsNode.Dir(IMPLICIT_DIR_MODE, Ownership.ROOT, "/", false);
    private final StoreDirectoryLister lister;
    private final List<String> notices = new ArrayList<>();

    public RootfsTree(StoreDirectoryLister lister) {
        this.lister = lister;
    }

    /** Things worth telling the user that are not errors (a declared file replacing a profile link). */
    public List<String> notices() {
        return List.copyOf(notices);
    }

    public void addDirectory(String path, int mode, Ownership owner, String origin) {
        String[] parts = split(path);
        FsNode.Dir parent = parentOf(parts, origin);
        String name = parts[parts.length - 1];
        FsNode existing = get(parent, name);
        if (existing == null) {
            put(parent, name, new FsNode.Dir(mode, owner, origin, true));
        } else if (existing instanceof FsNode.Dir d && !d.declared) {
            d.mode = mode;
            d.owner = owner;
            d.origin = origin;
            d.declared = true;
        } else if (existing instanceof FsNode.StoreLink sl && sl.targetIsDirectory()) {
            FsNode.Dir d = expand(sl);
            d.mode = mode;
            d.owner = owner;
            d.origin = origin;
            d.declared = true;
            put(parent, name, d);
        } else {
            throw conflict(path, origin, existing);
        }
    }

    public void addFile(String path, int mode, Ownership owner, long size, NarEntry.ContentOpener content, String origin) {
        putLeaf(path, new FsNode.File(mode, owner, size, content, origin), origin);
    }

    public void addSymlink(String path, String target, Ownership owner, String origin) {
        putLeaf(path, new FsNode.Link(target, owner, origin), origin);
    }

    /**
     * Links the top-level entries of {@code storePath} under {@code prefix}, the way buildEnv does:
     * a directory provided by one package is one symlink; provided by several, it becomes a real
     * directory whose entries are merged recursively. Two packages providing the same file is an error.
     */
    public void linkProfile(String prefix, String storePath) {
        try {
            if (!lister.isDirectory(storePath)) {
                throw new InputException("profile: " + storePath + " is not a directory, nothing to link");
            }
            FsNode.Dir dir = prefix.equals("/") ? root : ensureDir(split(prefix), "profile " + prefix);
            mergeChildren(dir, displayPath(prefix), storePath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + storePath + ": " + e.getMessage(), e);
        }
    }

    /** Tar entries in layer order (depth-first pre-order, names by unsigned bytes); the root itself is not emitted. */
    public List<LayerEntry> entries(long mtime) {
        List<LayerEntry> out = new ArrayList<>();
        emit(root, "", mtime, out);
        return out;
    }

    private void emit(FsNode.Dir dir, String prefix, long mtime, List<LayerEntry> out) {
        for (FsNode.Child c : dir.children().values()) {
            String path = prefix + c.name();
            FsNode n = c.node();
            if (n instanceof FsNode.Dir d) {
                out.add(new LayerEntry.Directory(path, d.mode, d.owner, mtime));
                emit(d, path + "/", mtime, out);
            } else if (n instanceof FsNode.File f) {
                out.add(new LayerEntry.RegularFile(path, f.mode(), f.owner(), mtime, f.size(), f.content()));
            } else if (n instanceof FsNode.Link l) {
                out.add(new LayerEntry.Symlink(path, l.target(), l.owner(), mtime));
            } else if (n instanceof FsNode.StoreLink s) {
                out.add(new LayerEntry.Symlink(path, s.storeTarget(), Ownership.ROOT, mtime));
            }
        }
    }

    private void putLeaf(String path, FsNode node, String origin) {
        String[] parts = split(path);
        FsNode.Dir parent = parentOf(parts, origin);
        String name = parts[parts.length - 1];
        FsNode existing = get(parent, name);
        if (existing instanceof FsNode.StoreLink sl) {
            notices.add(path + " (" + origin + ") replaces the profile link to " + sl.storeTarget());
        } else if (existing != null) {
            throw conflict(path, origin, existing);
        }
        put(parent, name, node);
    }

    private void mergeChildren(FsNode.Dir into, String intoPath, String storeDir) throws IOException {
        for (StoreDirectoryLister.Listed l : lister.list(storeDir)) {
            String target = storeDir + "/" + l.name();
            String where = intoPath.equals("/") ? "/" + l.name() : intoPath + "/" + l.name();
            FsNode existing = get(into, l.name());
            if (existing == null) {
                put(into, l.name(), new FsNode.StoreLink(target, l.directory(), target));
            } else if (l.directory() && existing instanceof FsNode.StoreLink sl && sl.targetIsDirectory()) {
                FsNode.Dir d = expand(sl);
                put(into, l.name(), d);
                mergeChildren(d, where, target);
            } else if (l.directory() && existing instanceof FsNode.Dir d) {
                mergeChildren(d, where, target);
            } else {
                throw new InputException("profile conflict: " + where + " is provided by both "
                        + originOf(existing) + " and " + target);
            }
        }
    }

    private FsNode.Dir expand(FsNode.StoreLink link) {
        FsNode.Dir d = new FsNode.Dir(IMPLICIT_DIR_MODE, Ownership.ROOT, link.storeTarget(), false);
        try {
            for (StoreDirectoryLister.Listed l : lister.list(link.storeTarget())) {
                String t = link.storeTarget() + "/" + l.name();
                put(d, l.name(), new FsNode.StoreLink(t, l.directory(), t));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + link.storeTarget() + ": " + e.getMessage(), e);
        }
        return d;
    }

    private FsNode.Dir parentOf(String[] parts, String origin) {
        String[] parentParts = java.util.Arrays.copyOf(parts, parts.length - 1);
        return ensureDir(parentParts, origin);
    }

    private FsNode.Dir ensureDir(String[] parts, String origin) {
        FsNode.Dir cur = root;
        StringBuilder where = new StringBuilder();
        for (String p : parts) {
            where.append('/').append(p);
            FsNode n = get(cur, p);
            if (n == null) {
                FsNode.Dir d = new FsNode.Dir(IMPLICIT_DIR_MODE, Ownership.ROOT, origin, false);
                put(cur, p, d);
                cur = d;
            } else if (n instanceof FsNode.Dir d) {
                cur = d;
            } else if (n instanceof FsNode.StoreLink sl && sl.targetIsDirectory()) {
                FsNode.Dir d = expand(sl);
                put(cur, p, d);
                cur = d;
            } else {
                throw new InputException(origin + ": " + where + " is a file or symlink (from " + originOf(n)
                        + "), it cannot be a directory");
            }
        }
        return cur;
    }

    private static FsNode get(FsNode.Dir d, String name) {
        FsNode.Child c = d.children().get(name.getBytes(StandardCharsets.UTF_8));
        return c == null ? null : c.node();
    }

    private static void put(FsNode.Dir d, String name, FsNode node) {
        d.children().put(name.getBytes(StandardCharsets.UTF_8), new FsNode.Child(name, node));
    }

    private static String originOf(FsNode n) {
        if (n instanceof FsNode.Dir d) {
            return d.origin;
        } else if (n instanceof FsNode.File f) {
            return f.origin();
        } else if (n instanceof FsNode.Link l) {
            return l.origin();
        }
        return ((FsNode.StoreLink) n).origin();
    }

    private static InputException conflict(String path, String origin, FsNode existing) {
        return new InputException(path + " is declared twice: by " + origin + " and by " + originOf(existing));
    }

    private static String displayPath(String p) {
        return p.equals("/") ? "/" : p.replaceAll("/+$", "");
    }

    private static String[] split(String path) {
        if (!path.startsWith("/") || path.equals("/")) {
            throw new IllegalArgumentException("expected an absolute path below /: " + path);
        }
        String[] parts = path.substring(1).split("/");
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                throw new IllegalArgumentException("not a normalised path: " + path);
            }
        }
        return parts;
    }
}
