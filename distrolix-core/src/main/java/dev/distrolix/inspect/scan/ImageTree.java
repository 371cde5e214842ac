package dev.distrolix.inspect.scan;

import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Path lookup inside an image's merged filesystem the way the kernel walks a path in a container:
 * symlinks followed (intermediate ones always, the last one on request), absolute targets from
 * the image root, ".." clamped at the root (a chroot cannot climb out; the climb is remembered as
 * {@link Resolved#escaped()}), at most 40 links. Directories that only exist as parents of entries
 * (a tar may omit them) count as directories. Nothing is looked up on the host.
 */
public final class ImageTree {
    /** Linux's MAXSYMLINKS. */
    static final int MAX_LINKS = 40;

    private final FlatFilesystem fs;
    private final Set<String> parents = new HashSet<>();

    public ImageTree(FlatFilesystem fs) {
        this.fs = fs;
        parents.add("/");
        for (FsEntry e : fs.entries()) {
            String p = parentOf(e.path());
            while (parents.add(p)) {
                p = parentOf(p);
            }
        }
    }

    public FlatFilesystem fs() {
        return fs;
    }

    /** Why a lookup failed. */
    public enum Problem {
        /** A component does not exist; {@link Resolved#path()} is the first missing path. */
        MISSING,
        /** More than 40 symlinks (a loop). */
        LOOP,
        /** A component before the last is a file, not a directory. */
        NOT_A_DIRECTORY
    }

    /**
     * The outcome of a lookup. {@code path} is the resolved absolute path (or, on failure, the path
     * where it failed); {@code entry} the entry found there (null for the root and for directories
     * known only as parents, and on failure); {@code escaped} tells that a ".." tried to climb above
     * the root on the way; {@code links} lists the symlinks followed, as "link -> target".
     */
    public record Resolved(String path, FsEntry entry, Problem problem, boolean escaped, List<String> links) {
        public boolean ok() {
            return problem == null;
        }

        public boolean isDirectory() {
            return ok() && (entry == null || entry.type() == FsEntry.Type.DIRECTORY);
        }
    }

    /** Looks up {@code path} (absolute, or relative to the root) following every symlink. */
    public Resolved resolve(String path) {
        return resolve(path, true);
    }

    /** Looks up {@code path}; the last component is followed only if {@code followLast}. */
    public Resolved resolve(String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>();
        pushFront(todo, path);
        List<String> cur = new ArrayList<>();
        List<String> links = new ArrayList<>();
        boolean escaped = false;
        FsEntry last = null;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (cur.isEmpty()) {
                    escaped = true;
                } else {
                    cur.remove(cur.size() - 1);
                }
                last = null;
                continue;
            }
            String candidate = join(cur) + "/" + c;
            FsEntry e = fs.get(candidate);
            boolean isLast = todo.stream().allMatch(s -> s.isEmpty() || s.equals("."));
            if (e == null) {
                if (parents.contains(candidate)) {
                    cur.add(c);
                    last = null;
                    continue;
                }
                return new Resolved(candidate, null, Problem.MISSING, escaped, links);
            }
            if (e.type() == FsEntry.Type.SYMLINK && (!isLast || followLast)) {
                if (links.size() >= MAX_LINKS) {
                    return new Resolved(candidate, null, Problem.LOOP, escaped, links);
                }
                links.add(candidate + " -> " + e.linkTarget());
                if (e.linkTarget().startsWith("/")) {
                    cur.clear();
                }
                pushFront(todo, e.linkTarget());
                last = null;
                continue;
            }
            if (!isLast && e.type() != FsEntry.Type.DIRECTORY) {
                return new Resolved(candidate, null, Problem.NOT_A_DIRECTORY, escaped, links);
            }
            cur.add(c);
            last = e;
        }
        String resolved = cur.isEmpty() ? "/" : join(cur);
        FsEntry entry = last != null ? last : fs.get(resolved);
        return new Resolved(resolved, entry, null, escaped, links);
    }

    /** The regular file behind an entry: itself, or the file a hard link names; null otherwise. */
    public FsEntry regularFile(FsEntry e) {
        if (e == null) {
            return null;
        }
        if (e.type() == FsEntry.Type.HARDLINK) {
            FsEntry t = fs.get(e.linkTarget());
            // the file linked may since have been replaced or deleted by a later layer
            return t != null && t.type() == FsEntry.Type.FILE && java.util.Objects.equals(t.sha256(), e.sha256()) ? t : null;
        }
        return e.type() == FsEntry.Type.FILE ? e : null;
    }

    /** True if the path is a directory (after following links). */
    public boolean isDirectory(String path) {
        return resolve(path).isDirectory();
    }

    /** The directory part of an absolute path ("/" for "/x"). */
    public static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String join(List<String> parts) {
        return parts.isEmpty() ? "" : "/" + String.join("/", parts);
    }

    private static void pushFront(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }
}
