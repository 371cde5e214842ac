package dev.distrolix.spec;

import java.util.Objects;

/**
 * One entry of {@code paths}: a directory, file or symlink added to the image outside the store. Paths are
 * absolute and normalised ({@code /var/log/nginx}, no trailing slash); owners are numeric, names having been
 * resolved against {@link Accounts} by the loader; modes are permission bits (at most 07777).
 */
public sealed interface PathSpec {
    String path();

    int uid();

    int gid();

    SourceLocation location();

    record DirectorySpec(String path, int mode, int uid, int gid, SourceLocation location) implements PathSpec {
        public static final int DEFAULT_MODE = 0755;

        public DirectorySpec {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(location, "location");
        }
    }

    record FileSpec(String path, int mode, int uid, int gid, FileContent content, SourceLocation location)
            implements PathSpec {
        public static final int DEFAULT_MODE = 0644;

        public FileSpec {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(location, "location");
        }
    }

    /** A symlink; its target may mention package paths, so it is a template. Symlinks have no mode. */
    record SymlinkSpec(String path, Template target, int uid, int gid, SourceLocation location) implements PathSpec {
        public SymlinkSpec {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(location, "location");
        }
    }
}
