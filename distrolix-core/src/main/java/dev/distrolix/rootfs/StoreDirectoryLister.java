package dev.distrolix.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** Lists one directory inside the store, for buildEnv-style profile merging. */
public interface StoreDirectoryLister {
    /** Children of {@code storeDirectory} (a full path such as /nix/store/…-nginx/bin), in unsigned byte order. */
    List<Listed> list(String storeDirectory) throws IOException;

    /** Whether the full store path is a directory (symlinks are not followed). */
    boolean isDirectory(String storeFullPath) throws IOException;

    record Listed(String name, boolean directory) {}

    /** Reads the local filesystem below {@code root} (normally "/"). */
    static StoreDirectoryLister local(Path root) {
        return new StoreDirectoryLister() {
            private Path resolve(String full) {
                return root.resolve(full.startsWith("/") ? full.substring(1) : full);
            }

            @Override
            public List<Listed> list(String storeDirectory) throws IOException {
                List<Listed> out = new ArrayList<>();
                try (Stream<Path> s = Files.list(resolve(storeDirectory))) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        out.add(new Listed(p.getFileName().toString(), Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)));
                    }
                }
                out.sort((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
                        b.name().getBytes(StandardCharsets.UTF_8)));
                return out;
            }

            @Override
            public boolean isDirectory(String storeFullPath) {
                return Files.isDirectory(resolve(storeFullPath), LinkOption.NOFOLLOW_LINKS);
            }
        };
    }
}
