package dev.distrolix.tar;

import dev.distrolix.nix.NarEntry;

/**
 * One entry of a layer tar, with every header field that affects the bytes made explicit.
 * {@code path} is relative to the image root with no leading "./" or "/" and no trailing "/"
 * (the writer adds "/" to directory names).
 */
public sealed interface LayerEntry permits LayerEntry.Directory, LayerEntry.RegularFile, LayerEntry.Symlink {
    String path();

    Ownership owner();

    int mode();

    long mtime();

    record Ownership(int uid, int gid, String uname, String gname) {
        public static final Ownership ROOT = new Ownership(0, 0, "root", "root");
    }

    record Directory(String path, int mode, Ownership owner, long mtime) implements LayerEntry {}

    record RegularFile(String path, int mode, Ownership owner, long mtime, long size,
                       NarEntry.ContentOpener content) implements LayerEntry {}

    record Symlink(String path, String target, Ownership owner, long mtime) implements LayerEntry {
        @Override
        public int mode() {
            return 0777;
        }
    }
}
