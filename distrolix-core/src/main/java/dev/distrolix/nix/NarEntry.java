package dev.distrolix.nix;

import java.io.IOException;
import java.io.InputStream;

/**
 * One node of a store path as a NAR sees it: only type, executable bit, contents and symlink
 * target. {@code path} is relative to the store path's root ("" for the root itself, then
 * "bin", "bin/nginx", …), '/'-separated, never starting or ending with '/'.
 */
public sealed interface NarEntry permits NarEntry.Directory, NarEntry.Regular, NarEntry.Symlink {
    String path();

    record Directory(String path) implements NarEntry {}

    record Regular(String path, boolean executable, long size, ContentOpener content) implements NarEntry {}

    record Symlink(String path, String target) implements NarEntry {}

    /** Opens a regular file's bytes; called at most once, while the walk is at this entry. */
    @FunctionalInterface
    interface ContentOpener {
        InputStream open() throws IOException;
    }
}
