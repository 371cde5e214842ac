package dev.distrolix.inspect;

/**
 * A tar header of a layer, with the path made absolute and normalized and already checked (no
 * "..", no symlink or hard link pointing above the root). Whiteouts are still plain entries here:
 * see {@link #whiteoutTarget()} and {@link #isOpaqueMarker()}; {@link FlatFilesystem} applies them.
 */
public record TarEntry(String path, FsEntry.Type type, int mode, long uid, long gid, long size, String linkTarget) {
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    /** The same header at another path (where the runtime puts it), with its hard link target. */
    public TarEntry at(String newPath, String newLinkTarget) {
        return new TarEntry(newPath, type, mode, uid, gid, size, newLinkTarget);
    }

    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public String parent() {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** {@code dir/.wh..wh..opq}: the lower layers' content of dir is hidden. */
    public boolean isOpaqueMarker() {
        return name().equals(OPAQUE);
    }

    /** The path a {@code .wh.NAME} entry deletes, or null if this is not a whiteout. */
    public String whiteoutTarget() {
        String n = name();
        if (!n.startsWith(WHITEOUT) || n.startsWith(WHITEOUT + WHITEOUT)) {
            return null;
        }
        String p = parent();
        return (p.equals("/") ? "" : p) + "/" + n.substring(WHITEOUT.length());
    }

    /** Any AUFS-style meta entry ({@code .wh.NAME}, {@code .wh..wh..opq}, {@code .wh..wh.plnk}, …). */
    public boolean isWhiteoutMeta() {
        return name().startsWith(WHITEOUT);
    }
}
