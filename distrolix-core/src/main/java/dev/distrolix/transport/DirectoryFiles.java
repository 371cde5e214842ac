package dev.distrolix.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The files of an OCI image layout directory. Symlinks inside it are not followed out of it. */
final class DirectoryFiles implements ImageFiles {
    private final Path root;

    DirectoryFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path resolve(String path) {
        Path p = root.resolve(ImageFiles.normalize(path)).normalize();
        if (!p.startsWith(root)) {
            throw new dev.distrolix.InputException("path '" + path + "' leaves the image");
        }
        return p;
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size(String path) {
        try {
            return exists(path) ? Files.size(resolve(path)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path p = resolve(path);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path);
        }
        return Files.newInputStream(p);
    }

    @Override
    public void close() {
        // nothing held open
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
