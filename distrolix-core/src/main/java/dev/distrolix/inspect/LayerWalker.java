package dev.distrolix.inspect;

import dev.distrolix.image.Image;
import dev.distrolix.image.LayerStream;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.TarGuard;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams the tar entries of every layer, base first, exactly once. Each entry's path is made
 * absolute and normalized; an entry whose name has a ".." component, or a symlink or hard link
 * whose target climbs above the image root, is an {@link InputException} naming the layer and
 * the entry — nothing is ever extracted or followed on the host. Each layer stream is read to its
 * end, so its digest and diff_id are always verified (see {@link LayerStream}).
 */
public final class LayerWalker {
    private LayerWalker() {}

    /** Receives the entries; the content of a regular file can be read during {@link #entry}. */
    public interface Visitor {
        default void layerStart(LayerInfo layer) throws IOException {}

        void entry(LayerInfo layer, TarEntry entry, Content content) throws IOException;

        /** The layer ended and was verified (or was known from a record of an earlier read of it). */
        default void layerEnd(LayerInfo layer, Sizes sizes) throws IOException {}
    }

    /** A layer's sizes as read: the blob's bytes, the tar's bytes, and the compression found. */
    public record Sizes(long compressed, long uncompressed, Compression compression) {}

    /**
     * A layer already read once, as a record of what that read found: each entry (as in the tar, before it
     * is placed) with its content's digests, and the layer's sizes. Replaying it skips the blob entirely,
     * which is sound because the record is of the blob with the same digest and diff_id.
     */
    public record KnownLayer(List<KnownEntry> entries, Sizes sizes) {
        public KnownLayer {
            entries = List.copyOf(entries);
        }
    }

    /** One entry of a {@link KnownLayer}; the digests and program are null for what is not a regular file. */
    public record KnownEntry(TarEntry entry, Digest sha256, Digest storeRefDigest, ProgramSignatures.Signature program) {}

    /** Gives the layers that need not be read; null for a layer that must be. */
    public interface KnownLayers {
        KnownLayer known(LayerInfo layer) throws IOException;
    }

    /**
     * The content of a regular file entry (empty for other types), valid only during
     * {@link Visitor#entry}. Bytes read through {@link #stream()} are hashed; {@link #sha256()}
     * reads the rest and returns the digest of the whole content.
     */
    public static final class Content {
        private final InputStream in;
        private final MessageDigest md;
        private StoreRefMasker masker;
        private ProgramSignatures signatures;
        private Digest digest;
        private Digest storeRefDigest;
        private ProgramSignatures.Signature knownProgram;

        Content(InputStream in) {
            this.in = in;
            this.md = Digest.newSha256();
        }

        private Content(KnownEntry k) {
            this.in = InputStream.nullInputStream();
            this.md = null; // nothing is read
            this.digest = k.sha256();
            this.storeRefDigest = k.storeRefDigest();
            this.knownProgram = k.program();
        }

        /**
         * True when the content is not read but known from a record ({@link KnownLayer}): its digests and
         * program are those recorded, and {@link #stream()} is empty.
         */
        public boolean known() {
            return md == null;
        }

        public InputStream stream() {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (digest != null) {
                        return -1;
                    }
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        md.update(b, off, n);
                        if (masker != null) {
                            masker.update(b, off, n);
                        }
                        if (signatures != null) {
                            signatures.update(b, off, n);
                        }
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    return super.skip(n) > 0 ? n : 0; // goes through read, so skipped bytes are hashed
                }

                @Override
                public void close() {
                    // the tar stream belongs to the walker
                }
            };
        }

        /**
         * Also computes {@link #storeRefDigest()}; call before reading any content. Costs a byte
         * loop, so the filesystem does it only for files outside /nix/store.
         */
        public void maskStoreReferences() {
            if (masker == null && digest == null) {
                masker = new StoreRefMasker();
            }
        }

        /**
         * Also looks for what program the content is ({@link ProgramSignatures}); call before
         * reading any content. {@link #program()} then tells.
         */
        public void identifyProgram() {
            if (signatures == null && digest == null) {
                signatures = new ProgramSignatures();
            }
        }

        /** The program the content was recognised as, or null (also when not asked for). */
        public ProgramSignatures.Signature program() throws IOException {
            sha256();
            return known() ? knownProgram : signatures == null ? null : signatures.result();
        }

        public Digest sha256() throws IOException {
            if (digest == null) {
                stream().transferTo(java.io.OutputStream.nullOutputStream());
                digest = Digest.ofSha256(md);
                storeRefDigest = masker == null ? null : masker.finish();
            }
            return digest;
        }

        /** The digest with store hashes masked (see {@link StoreRefMasker}); null if none were named. */
        public Digest storeRefDigest() throws IOException {
            sha256();
            return storeRefDigest;
        }
    }

    public static void walk(Image image, Visitor visitor) throws IOException {
        walk(image, visitor, layer -> null);
    }

    /**
     * Tar entries an image's layers may have together: a bound on the time a read takes (each entry is a header to
     * parse, a path to place), where {@link FlatFilesystem#MAX_HELD} bounds the memory. A layer rewriting every file
     * (a `chown -R`) counts them again: three times the files the largest real images hold, and more.
     */
    public static final int MAX_ENTRIES = 3_000_000;
    /** {@link #MAX_ENTRIES}, smaller in tests. */
    static int maxEntries = MAX_ENTRIES;

    /** Like {@link #walk(Image, Visitor)}, replaying the layers {@code known} gives instead of reading them. */
    public static void walk(Image image, Visitor visitor, KnownLayers known) throws IOException {
        int[] entries = {0};
        long allowance = LayerStream.imageAllowance(image.layers());
        long unpacked = 0;
        for (int i = 0; i < image.layers().size(); i++) {
            LayerInfo layer = new LayerInfo(i, image.layers().get(i));
            KnownLayer k = known.known(layer);
            if (k == null) {
                unpacked += walkLayer(image, i, visitor, entries);
                if (unpacked > allowance) {
                    // each layer is bounded by LayerStream; this bounds their sum, a blob named again adding nothing
                    throw new InputException(layer.label() + ": the image's layers unpack to more than "
                            + allowance / (1 << 20) + " MiB together (1 GiB + " + LayerStream.maxExpansion()
                            + " times each distinct blob): refused as a decompression bomb");
                }
                continue;
            }
            visitor.layerStart(layer);
            for (KnownEntry e : k.entries()) {
                count(entries, layer);
                visitor.entry(layer, e.entry(), new Content(e));
            }
            visitor.layerEnd(layer, k.sizes());
        }
    }

    private static void count(int[] entries, LayerInfo layer) {
        if (++entries[0] > maxEntries) {
            throw new InputException(layer.label() + ": the image's layers have more than "
                    + String.format(java.util.Locale.ROOT, "%,d", maxEntries) + " entries (distrolix reads at most that many)");
        }
    }

    /** Reads one layer to its end; returns its tar's size. */
    private static long walkLayer(Image image, int index, Visitor visitor, int[] entries) throws IOException {
        LayerInfo layer = new LayerInfo(index, image.layers().get(index));
        visitor.layerStart(layer);
        try (LayerStream stream = layer.layer().uncompressed()) {
            TarGuard guard = new TarGuard(stream, layer.label()); // bounded headers, no sparse entries
            TarArchiveInputStream tar = new TarArchiveInputStream(guard, StandardCharsets.UTF_8.name());
            TarArchiveEntry raw;
            while ((raw = nextEntry(tar, guard, layer)) != null) {
                count(entries, layer);
                TarEntry entry = entry(layer, raw);
                if (entry == null) {
                    continue; // the root directory itself
                }
                visitor.entry(layer, entry, new Content(entry.type() == FsEntry.Type.FILE ? tar : InputStream.nullInputStream()));
            }
            stream.drain();
            visitor.layerEnd(layer, new Sizes(stream.compressedSize(), stream.uncompressedSize(), stream.compression()));
            return stream.uncompressedSize();
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, TarGuard guard, LayerInfo layer)
            throws IOException {
        try {
            return guard.next(tar);
        } catch (InputException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InputException(layer.label() + ": not a valid tar (" + m.lines().findFirst().orElse(m) + ")", e);
        }
    }

    static TarEntry entry(LayerInfo layer, TarArchiveEntry e) {
        String path = normalize(e.getName());
        if (path == null) {
            throw new InputException(layer.label() + ": entry '" + dev.distrolix.blob.TarGuard.shown(e.getName()) + "' has a '..' component (path traversal)");
        }
        if (path.equals("/")) {
            return null;
        }
        FsEntry.Type type;
        String link = null;
        if (e.isDirectory()) {
            type = FsEntry.Type.DIRECTORY;
        } else if (e.isSymbolicLink()) {
            type = FsEntry.Type.SYMLINK;
            link = e.getLinkName();
            // a target above the root is kept as written: runtimes clamp it at the root, the flattened
            // tree resolves it the same way, nothing follows it on the host, and audit reports it
        } else if (e.isLink()) {
            type = FsEntry.Type.HARDLINK;
            link = normalize(e.getLinkName());
            if (link == null) {
                throw new InputException(layer.label() + ": hard link " + path + " -> " + e.getLinkName()
                        + " has a '..' component (path traversal)");
            }
        } else if (e.isCharacterDevice()) {
            type = FsEntry.Type.CHAR_DEVICE;
        } else if (e.isBlockDevice()) {
            type = FsEntry.Type.BLOCK_DEVICE;
        } else if (e.isFIFO()) {
            type = FsEntry.Type.FIFO;
        } else if (e.isFile()) {
            type = FsEntry.Type.FILE;
        } else {
            throw new InputException(layer.label() + ": entry '" + dev.distrolix.blob.TarGuard.shown(e.getName()) + "' has an unsupported tar type '"
                    + (char) e.getLinkFlag() + "'");
        }
        long size = type == FsEntry.Type.FILE ? e.getSize() : 0;
        return new TarEntry(path, type, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), size, link);
    }

    /** "./a//b/" → "/a/b"; "" or "." → "/"; null if a component is "..". */
    static String normalize(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return null;
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /**
     * Whether a symlink at {@code path} with this target, resolved lexically inside the image
     * (absolute targets from the image root, relative ones from the link's directory), would climb
     * above the root. Runtimes clamp such links at the root, but a tool that followed them on the
     * host would leave the image: they are refused.
     */
    static boolean escapesRoot(String path, String target) {
        Deque<String> parts = new ArrayDeque<>();
        if (!target.startsWith("/")) {
            String[] dirs = path.split("/");
            for (int i = 1; i < dirs.length - 1; i++) {
                parts.addLast(dirs[i]);
            }
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return true;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return false;
    }
}
