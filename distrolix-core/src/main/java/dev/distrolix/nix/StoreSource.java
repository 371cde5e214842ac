package dev.distrolix.nix;

import java.io.IOException;

/**
 * Where the contents of store paths come from: the local /nix/store now, a binary cache later.
 * Implementations must yield exactly the NAR view of a path so that every source gives
 * byte-identical layers.
 */
public interface StoreSource {
    /**
     * Visits every node of {@code path} depth-first in pre-order, a directory's children sorted by
     * unsigned UTF-8 bytes of their names (NAR order).
     */
    void walk(StorePath path, NarVisitor visitor) throws IOException;

    /**
     * Says that {@code paths} will be walked soon: a source that downloads them may start to (the local store
     * has nothing to do). Only what a build will read is named: a warm build, whose layers are cached, names none.
     */
    default void prefetch(java.util.Collection<StorePath> paths) {
    }

    @FunctionalInterface
    interface NarVisitor {
        void visit(NarEntry entry) throws IOException;
    }
}
