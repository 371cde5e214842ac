package dev.distrolix.rootfs;

import dev.distrolix.nix.NarEntry;
import dev.distrolix.tar.LayerEntry.Ownership;
import java.util.Map;
import java.util.TreeMap;

/** A node of the image's declared filesystem tree (the customisation layer), before it becomes tar entries. */
sealed interface FsNode permits FsNode.Dir, FsNode.File, FsNode.Link, FsNode.StoreLink {

    /** A real directory. {@code origin} says who created it, for error messages. */
    final class Dir implements FsNode {
        final TreeMap<byte[], Child> children = new TreeMap<>(java.util.Arrays::compareUnsigned);
        int mode;
        Ownership owner;
        String origin;
        boolean declared;

        Dir(int mode, Ownership owner, String origin, boolean declared) {
            this.mode = mode;
            this.owner = owner;
            this.origin = origin;
            this.declared = declared;
        }

        Map<byte[], Child> children() {
            return children;
        }
    }

    /** A named child; names are kept as UTF-8 bytes so iteration is in unsigned byte order. */
    record Child(String name, FsNode node) {}

    record File(int mode, Ownership owner, long size, NarEntry.ContentOpener content, String origin) implements FsNode {}

    record Link(String target, Ownership owner, String origin) implements FsNode {}

    /**
     * A profile symlink to {@code storeTarget} (a file or directory inside a store path), which
     * buildEnv-style merging may later replace by a real directory of links.
     */
    record StoreLink(String storeTarget, boolean targetIsDirectory, String origin) implements FsNode {}
}
