package dev.distrolix.transport;

import dev.distrolix.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The members of an uncompressed tar (oci-archive, docker-archive) with random access: the
 * archive's headers are indexed once ({@link TarIndex}, bounded memory) and each member is read in
 * place, so a 1 GB archive is never unpacked or held in memory. A symbolic or hard link member
 * reads as the member it points to inside the archive (legacy {@code docker save} writes repeated
 * layers as {@code <id>/layer.tar -> ../<other>/layer.tar}).
 */
final class TarArchiveFiles implements ImageFiles {
    /** Links followed in a row before a chain counts as a loop (Linux's limit). */
    private static final int MAX_LINKS = 40;

    private final Path file;
    private final String what;
    private final FileChannel channel;
    private final Map<String, TarIndex.Member> members = new HashMap<>();
    private final Map<String, TarIndex.Link> links = new HashMap<>();

    TarArchiveFiles(Path file, String what) {
        this.file = file;
        this.what = what;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            throw new InputException(what + ": cannot read the archive (" + oneLine(e) + ")", e);
        }
        try {
            TarIndex index = TarIndex.scan(what, channel);
            for (TarIndex.Member m : index.files.values()) {
                members.put(normalizeMember(m.name()), m);
            }
            for (TarIndex.Link l : index.links.values()) {
                links.put(normalizeMember(l.name()), l);
            }
        } catch (IOException e) {
            close();
            throw new InputException(what + ": not a readable tar archive (" + oneLine(e) + ")", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String normalizeMember(String name) {
        try {
            return ImageFiles.normalize(name);
        } catch (InputException bad) {
            throw new InputException(what + ": archive member '" + name + "' leaves the archive (..)");
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** The regular member {@code path} names, following links inside the archive; null if none. */
    private TarIndex.Member member(String path) {
        String p = ImageFiles.normalize(path);
        for (int hops = 0; hops <= MAX_LINKS; hops++) {
            TarIndex.Member m = members.get(p);
            if (m != null) {
                return m;
            }
            TarIndex.Link l = links.get(p);
            if (l == null) {
                return null;
            }
            p = l.symbolic() ? resolveSymlink(p, l.target()) : resolveInArchive(l.target());
            if (p == null) {
                throw new InputException(what + ": archive member '" + l.name() + "' links to '" + l.target()
                        + "', outside the archive");
            }
        }
        throw new InputException(what + ": archive member '" + path + "' is a loop of links");
    }

    /** A symlink's target as an archive path: relative to the link's folder, absolute from the archive root. */
    private static String resolveSymlink(String linkPath, String target) {
        if (target.startsWith("/")) {
            return resolveInArchive(target);
        }
        int slash = linkPath.lastIndexOf('/');
        return resolveInArchive((slash < 0 ? "" : linkPath.substring(0, slash + 1)) + target);
    }

    /** Lexical resolution of "." and ".."; null if it climbs above the archive root. */
    private static String resolveInArchive(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    @Override
    public boolean exists(String path) {
        return member(path) != null;
    }

    @Override
    public long size(String path) {
        TarIndex.Member m = member(path);
        return m == null ? -1 : m.size();
    }

    @Override
    public InputStream open(String path) throws IOException {
        TarIndex.Member m = member(path);
        if (m == null) {
            throw new NoSuchFileException(path);
        }
        return new Slice(channel, m.offset(), m.size());
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /** {@code size} bytes of the file from {@code offset}, by positional reads (streams may run in parallel). */
    private static final class Slice extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        Slice(FileChannel channel, long offset, long size) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                return -1; // the file shrank since it was indexed: the digest check reports it
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - position));
            position += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}
