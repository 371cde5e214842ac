package dev.distrolix.nix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads store paths from a local file system, yielding exactly what {@code nix-store --dump}
 * would put in the NAR: directories, regular files (executable iff the owner-execute bit is set,
 * as Nix decides) and symlinks. Nothing else is looked at: no mtimes, owners, other mode bits or
 * hardlink structure (hardlinks from store optimisation are plain regular files). Symlinks are
 * never followed. Other file types (sockets, FIFOs, devices) are refused with an IOException,
 * as {@code nix-store --dump} refuses them.
 *
 * <p>A store path {@code <storeDir>/<base>} is read from {@code root/<storeDir>/<base>}, so with
 * the default root "/" it is the host's store; tests can use another root or store dir.
 *
 * <p>Names and targets become Java strings: the JVM must decode file names as UTF-8
 * ({@code sun.jnu.encoding}, from the locale). A name or target whose bytes do not survive that
 * (invalid UTF-8, or another JVM encoding) fails the walk rather than producing a wrong entry.
 */
public final class LocalStoreSource implements StoreSource {
    private final Path root;

    public LocalStoreSource() {
        this(Path.of("/"));
    }

    public LocalStoreSource(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    /** Where {@code path} lives on this file system. */
    public Path locate(StorePath path) {
        String dir = path.storeDir();
        while (dir.startsWith("/")) {
            dir = dir.substring(1);
        }
        return root.resolve(dir).resolve(path.baseName());
    }

    @Override
    public void walk(StorePath path, NarVisitor visitor) throws IOException {
        visit(locate(path), "", visitor);
    }

    private void visit(Path file, String rel, NarVisitor visitor) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            Path target = Files.readSymbolicLink(file);
            visitor.visit(new NarEntry.Symlink(rel, checkedString(target, file)));
        } else if (a.isRegularFile()) {
            boolean exec = a.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            visitor.visit(new NarEntry.Regular(rel, exec, a.size(),
                    () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)));
        } else if (a.isDirectory()) {
            visitor.visit(new NarEntry.Directory(rel));
            for (String name : sortedChildren(file)) {
                visit(file.resolve(name), rel.isEmpty() ? name : rel + "/" + name, visitor);
            }
        } else {
            throw new IOException("unsupported file type (not a directory, regular file or symlink; "
                    + "a socket, FIFO or device cannot be in a NAR): " + file);
        }
    }

    /**
     * The path as a string, refusing bytes that do not survive decoding (invalid UTF-8, or a
     * JVM whose sun.jnu.encoding is not UTF-8): the string would silently name something else.
     * UnixPath.equals compares the raw bytes, so re-encoding tells.
     */
    private static String checkedString(Path p, Path where) throws IOException {
        String s = p.toString();
        if (!p.equals(p.getFileSystem().getPath(s))) {
            throw new IOException("name or symlink target is not valid UTF-8 (or the JVM does not decode file names"
                    + " as UTF-8; sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding") + "): " + where);
        }
        return s;
    }

    /** Children sorted by the unsigned bytes of their UTF-8 names (NAR order, not String order). */
    private static List<String> sortedChildren(Path dir) throws IOException {
        List<byte[]> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                names.add(checkedString(child.getFileName(), child).getBytes(StandardCharsets.UTF_8));
            }
        }
        names.sort(Arrays::compareUnsigned);
        List<String> out = new ArrayList<>(names.size());
        for (byte[] n : names) {
            out.add(new String(n, StandardCharsets.UTF_8));
        }
        return out;
    }
}
