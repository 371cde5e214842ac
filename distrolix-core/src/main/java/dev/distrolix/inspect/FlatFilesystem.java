package dev.distrolix.inspect;

import dev.distrolix.image.Image;
import dev.distrolix.image.LayerStream;
import dev.distrolix.blob.Compression;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The filesystem a container of the image starts with — what {@code docker export | tar -tv}
 * lists: all layers merged, base first, with whiteouts applied ({@code .wh.NAME} deletes NAME of
 * the lower layers, {@code .wh..wh..opq} empties a directory of their content, a non-directory
 * hides a lower directory's children). Built in one streaming pass; only the headers and a
 * content digest per file are kept, never content, so memory grows with the number of files,
 * not their size.
 */
public final class FlatFilesystem {
    /** Path order where a directory's children follow it directly ('/' sorts before any other char). */
    public static final Comparator<String> PATH_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x == '/' ? -1 : y == '/' ? 1 : Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    };

    /** Lets a caller read chosen files' content during the single pass (e.g. /etc/os-release). */
    public interface ContentTap {
        boolean wants(TarEntry entry);

        /** Reads as much of the content as needed; the rest is hashed by the walker. */
        void read(LayerInfo layer, TarEntry entry, InputStream content) throws IOException;

        /** Sees every tar entry of every layer (whiteouts included), before it is merged. */
        default void entry(LayerInfo layer, TarEntry entry) throws IOException {}

        /**
         * Whether symlinks whose target climbs above the root are kept (an audit reports them)
         * instead of failing the read; see {@link LayerWalker.Visitor#acceptsEscapingSymlinks()}.
         */
        default boolean acceptsEscapingSymlinks() {
            return false;
        }
    }

    private final SortedMap<String, FsEntry> entries;
    private final List<LayerSummary> layers;

    private FlatFilesystem(SortedMap<String, FsEntry> entries, List<LayerSummary> layers) {
        this.entries = Collections.unmodifiableSortedMap(entries);
        this.layers = List.copyOf(layers);
    }

    public static FlatFilesystem read(Image image) throws IOException {
        return read(image, null);
    }

    public static FlatFilesystem read(Image image, ContentTap tap) throws IOException {
        Merger merger = new Merger(tap);
        LayerWalker.walk(image, merger);
        return new FlatFilesystem(merger.tree, merger.summaries);
    }

    /** All entries in {@link #PATH_ORDER}. */
    public Collection<FsEntry> entries() {
        return entries.values();
    }

    public FsEntry get(String path) {
        return entries.get(path);
    }

    public int size() {
        return entries.size();
    }

    /** Per layer, in layer order. */
    public List<LayerSummary> layers() {
        return layers;
    }

    /** The entries strictly below {@code dir}, in path order. */
    public Collection<FsEntry> under(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        List<FsEntry> out = new ArrayList<>();
        for (Map.Entry<String, FsEntry> e : entries.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    /** Sum of the sizes of the regular files: the bytes a container's root filesystem holds. */
    public long totalFileBytes() {
        long sum = 0;
        for (FsEntry e : entries.values()) {
            sum += e.size();
        }
        return sum;
    }

    /** Applies one layer after another onto a sorted map. */
    private static final class Merger implements LayerWalker.Visitor {
        final TreeMap<String, FsEntry> tree = new TreeMap<>(PATH_ORDER);
        final List<LayerSummary> summaries = new ArrayList<>();
        private final ContentTap tap;
        private int count;
        private long fileBytes;
        private TreeSet<String> storePaths;

        Merger(ContentTap tap) {
            this.tap = tap;
        }

        @Override
        public void layerStart(LayerInfo layer) {
            count = 0;
            fileBytes = 0;
            storePaths = new TreeSet<>();
        }

        @Override
        public boolean acceptsEscapingSymlinks() {
            return tap != null && tap.acceptsEscapingSymlinks();
        }

        @Override
        public void entry(LayerInfo layer, TarEntry e, LayerWalker.Content content) throws IOException {
            count++;
            if (tap != null) {
                tap.entry(layer, e);
            }
            String store = StorePathIndex.storePathOf(e.path());
            if (store != null) {
                storePaths.add(store);
            }
            if (e.isOpaqueMarker()) {
                removeLowerBelow(e.parent(), layer.index());
                return;
            }
            String deleted = e.whiteoutTarget();
            if (deleted != null) {
                FsEntry lower = tree.get(deleted);
                if (lower != null && lower.layer() < layer.index()) {
                    tree.remove(deleted);
                }
                removeLowerBelow(deleted, layer.index());
                return;
            }
            if (e.isWhiteoutMeta()) {
                return; // .wh..wh.plnk and friends: AUFS bookkeeping, not files
            }
            boolean file = e.type() == FsEntry.Type.FILE;
            if (file && store == null) {
                content.maskStoreReferences();
            }
            if (tap != null && file && tap.wants(e)) {
                tap.read(layer, e, content.stream());
            }
            var sha = file ? content.sha256() : null;
            var masked = file ? content.storeRefDigest() : null;
            if (e.type() == FsEntry.Type.HARDLINK) {
                FsEntry target = tree.get(e.linkTarget());
                sha = target == null ? null : target.sha256();
                masked = target == null ? null : target.storeRefSha256();
            }
            fileBytes += e.size();
            FsEntry previous = tree.get(e.path());
            if (previous != null && previous.type() == FsEntry.Type.DIRECTORY && e.type() != FsEntry.Type.DIRECTORY) {
                removeLowerBelow(e.path(), layer.index()); // a file replaces a directory and its content
            }
            tree.put(e.path(), new FsEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.linkTarget(),
                    sha, masked, layer.index()));
        }

        /** Removes what lower layers put below {@code dir}; this layer's own entries stay. */
        private void removeLowerBelow(String dir, int layerIndex) {
            String prefix = dir.equals("/") ? "/" : dir + "/";
            Iterator<Map.Entry<String, FsEntry>> it = tree.tailMap(prefix).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, FsEntry> next = it.next();
                if (!next.getKey().startsWith(prefix)) {
                    break;
                }
                if (next.getValue().layer() < layerIndex) {
                    it.remove();
                }
            }
        }

        @Override
        public void layerEnd(LayerInfo layer, LayerStream stream) {
            summaries.add(new LayerSummary(layer, stream.compressedSize(), stream.uncompressedSize(),
                    stream.compression(), count, fileBytes, new ArrayList<>(storePaths)));
        }
    }
}
