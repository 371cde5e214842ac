package dev.distrolix.inspect;

import dev.distrolix.image.Image;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;

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
 *
 * <p>Entries are applied the way umoci and runc unpack layers: the directory part of every
 * entry's name (and of a hard link's target, a whiteout's, an opaque marker's) is resolved through
 * the symlinks already in the tree — absolute targets from the image root, relative ones from the
 * link's directory, chains followed, ".." clamped at the root (securejoin) — while the last
 * component is never followed. So {@code x -> /usr/bin} in one layer and {@code x/bash} in a
 * later one make {@code /usr/bin/bash}, the path a runtime runs; every entry of this tree is at
 * its runtime path, and every command (inspect, compare, sbom, why, audit) counts the same files.
 * Executable files are also recognised by their content ({@link ProgramSignatures}): see
 * {@link #program(FsEntry)}.
 */
public final class FlatFilesystem {
    /**
     * Path order where a directory's children follow it directly ('/' sorts before any other char). It is
     * {@link String#compareTo} (which finds the first difference many characters at a time: a path tree's keys share
     * long prefixes, and a short run compares them mostly in the interpreter, where a loop of {@code charAt} cost an
     * SBOM's replay of a 300-entry layer ~50 ms) except where the difference is a '/' against a character below it.
     */
    public static final Comparator<String> PATH_ORDER = (a, b) -> {
        int c = a.compareTo(b); // the difference of the first differing chars, else of the lengths
        if (c > 0 && c <= '/') {
            return slashFirst(a, b, (char) ('/' - c)) ? -1 : c;
        }
        if (c < 0 && c >= -'/') {
            return slashFirst(b, a, (char) ('/' + c)) ? 1 : c;
        }
        return c;
    };

    /** Whether {@code s} and {@code t} first differ where {@code s} has '/' and {@code t} has {@code other}. */
    private static boolean slashFirst(String s, String t, char other) {
        int n = Math.min(s.length(), t.length());
        for (int k = s.indexOf('/'); k >= 0 && k < n; k = s.indexOf('/', k + 1)) {
            char y = t.charAt(k);
            if (y != '/') { // they differ here or before: here only if all before is equal
                return y == other && s.regionMatches(0, t, 0, k);
            }
        }
        return false;
    }

    /** Lets a caller read chosen files' content during the single pass (e.g. /etc/os-release). */
    public interface ContentTap {
        boolean wants(TarEntry entry);

        /** Reads as much of the content as needed; the rest is hashed by the walker. */
        void read(LayerInfo layer, TarEntry entry, InputStream content) throws IOException;

        /** Sees every tar entry of every layer (whiteouts included), before it is merged. */
        default void entry(LayerInfo layer, TarEntry entry) throws IOException {}

        /** A regular file of a replayed layer ({@link LayerWalker.KnownLayer}): its content is not read. */
        default void known(LayerInfo layer, TarEntry entry) throws IOException {}

        /** Whether {@link #layerEnd} should be given a record of the layer just started (asked after layerStart). */
        default boolean recording() {
            return false;
        }

        default void layerStart(LayerInfo layer) throws IOException {}

        /** The most entries a record of a layer may hold: a layer with more is read, not recorded. */
        default int recordLimit() {
            return Integer.MAX_VALUE;
        }

        /**
         * The layer's last entry was merged. {@code asInTar} tells that every entry stayed at its tar path (no
         * symlink of a lower layer moved it), so that what was seen of the layer depends on the layer alone;
         * {@code record} is what was read of it, when {@link #recording()}, the layer was read (not replayed)
         * and {@code asInTar}; else null.
         */
        default void layerEnd(LayerInfo layer, boolean asInTar, LayerWalker.KnownLayer record) throws IOException {}

    }

    /**
     * Files, directories and links an image may hold once its layers are applied. Each is kept while the image is read
     * (~450 bytes: its path, type, owner and digests), and a tar of empty files packs ~150,000 into a megabyte of gzip;
     * large real images hold a few hundred thousand. Beyond this an image is refused, not read into gigabytes.
     */
    public static final int MAX_HELD = 1_000_000;
    /** {@link #MAX_HELD}, smaller in tests. */
    static int maxHeld = MAX_HELD;

    /** securejoin's limit on symlinks followed while resolving one name. */
    static final int MAX_LINKS = 255;

    private final SortedMap<String, FsEntry> entries;
    private final List<LayerSummary> layers;
    private final Map<Digest, ProgramSignatures.Signature> programs;

    private FlatFilesystem(SortedMap<String, FsEntry> entries, List<LayerSummary> layers,
                           Map<Digest, ProgramSignatures.Signature> programs) {
        this.entries = Collections.unmodifiableSortedMap(entries);
        this.layers = List.copyOf(layers);
        this.programs = programs;
    }

    public static FlatFilesystem read(Image image) throws IOException {
        return read(image, null, layer -> null);
    }

    /** Reads the image, replaying the layers {@code known} gives instead of reading them. */
    public static FlatFilesystem read(Image image, ContentTap tap, LayerWalker.KnownLayers known) throws IOException {
        Merger merger = new Merger(tap);
        LayerWalker.walk(image, merger, known);
        return new FlatFilesystem(merger.tree, merger.summaries, merger.programs);
    }

    /**
     * What program a regular file or hard link is by its content (a shell, a package manager),
     * whatever its name; null if none is recognised. A hard link and a copy have the digest of
     * the file they duplicate, so they are recognised alike.
     */
    public ProgramSignatures.Signature program(FsEntry e) {
        if (e == null || e.sha256() == null || (e.type() != FsEntry.Type.FILE && e.type() != FsEntry.Type.HARDLINK)
                || (e.mode() & 0111) == 0 && e.type() == FsEntry.Type.FILE) {
            return null;
        }
        return programs.get(e.sha256());
    }

    /** The entries that are not directories: the files every command counts. */
    public long fileCount() {
        long n = 0;
        for (FsEntry e : entries.values()) {
            if (e.type() != FsEntry.Type.DIRECTORY) {
                n++;
            }
        }
        return n;
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
        final Map<Digest, ProgramSignatures.Signature> programs = new java.util.HashMap<>();
        private final ContentTap tap;
        private int symlinks;
        private int count;
        private long fileBytes;
        private TreeSet<String> storePaths;
        private boolean moved;
        private List<LayerWalker.KnownEntry> record;

        Merger(ContentTap tap) {
            this.tap = tap;
        }

        @Override
        public void layerStart(LayerInfo layer) throws IOException {
            count = 0;
            fileBytes = 0;
            storePaths = new TreeSet<>();
            moved = false;
            if (tap != null) {
                tap.layerStart(layer);
            }
            record = tap != null && tap.recording() ? new ArrayList<>() : null;
        }


        @Override
        public void entry(LayerInfo layer, TarEntry raw, LayerWalker.Content content) throws IOException {
            count++;
            TarEntry e = place(raw);
            moved |= e != raw;
            int slot = -1;
            if (record != null && record.size() >= tap.recordLimit()) {
                record = null; // memory stays bounded by the tree: the layer is not recorded
            }
            if (record != null) {
                slot = record.size();
                record.add(new LayerWalker.KnownEntry(raw, null, null, null));
            }
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
                    if (lower.type() == FsEntry.Type.SYMLINK) {
                        symlinks--;
                    }
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
            if (file && (e.mode() & 0111) != 0) {
                content.identifyProgram();
            }
            if (tap != null && file && content.known()) {
                tap.known(layer, e);
            } else if (tap != null && file && tap.wants(e)) {
                tap.read(layer, e, content.stream());
            }
            var sha = file ? content.sha256() : null;
            var masked = file ? content.storeRefDigest() : null;
            if (file) {
                ProgramSignatures.Signature program = content.program();
                if (program != null) {
                    programs.putIfAbsent(sha, program);
                }
                if (record != null) {
                    record.set(slot, new LayerWalker.KnownEntry(raw, sha, masked, program));
                }
            }
            if (e.type() == FsEntry.Type.HARDLINK) {
                FsEntry target = tree.get(e.linkTarget());
                if (target == null || target.type() == FsEntry.Type.DIRECTORY) {
                    // an engine unpacking the layer fails here (link(2) needs an existing non-directory): /hl -> /etc/shadow
                    throw new dev.distrolix.InputException(layer.label() + ": hard link "
                            + dev.distrolix.blob.TarGuard.shown(e.path()) + " -> " + dev.distrolix.blob.TarGuard.shown(e.linkTarget())
                            + (target == null ? " names no file before it in the image" : " names a directory")
                            + " (a container engine cannot unpack it)");
                }
                sha = target.sha256();
                masked = target.storeRefSha256();
            }
            fileBytes += e.size();
            FsEntry previous = tree.get(e.path());
            if (previous != null && previous.type() == FsEntry.Type.DIRECTORY && e.type() != FsEntry.Type.DIRECTORY) {
                removeLowerBelow(e.path(), layer.index()); // a file replaces a directory and its content
            }
            if (previous != null && previous.type() == FsEntry.Type.SYMLINK) {
                symlinks--;
            }
            if (e.type() == FsEntry.Type.SYMLINK) {
                symlinks++;
            }
            if (tree.put(e.path(), new FsEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.linkTarget(),
                    sha, masked, layer.index())) == null && tree.size() > maxHeld) {
                throw new dev.distrolix.InputException(layer.label() + ": the image holds more than "
                        + String.format(java.util.Locale.ROOT, "%,d", maxHeld)
                        + " files, directories and links (distrolix reads at most that many)");
            }
        }

        /**
         * The entry at the path the runtime gives it: its directory resolved through the tree's
         * symlinks, and a hard link's target likewise (a link to a hard link names the first file).
         */
        private TarEntry place(TarEntry e) {
            if (symlinks == 0) {
                return e;
            }
            String path = placePath(e.path());
            String link = e.linkTarget();
            if (e.type() == FsEntry.Type.HARDLINK) {
                link = placePath(link);
                FsEntry t = tree.get(link);
                FsEntry first = t != null && t.type() == FsEntry.Type.HARDLINK ? tree.get(t.linkTarget()) : null;
                if (first != null && first.type() != FsEntry.Type.DIRECTORY) {
                    link = t.linkTarget(); // the first file, while it is there; else the link itself, which still is
                }
            }
            return path.equals(e.path()) && java.util.Objects.equals(link, e.linkTarget()) ? e : e.at(path, link);
        }

        /** {@code path} with its directory resolved; the last component is kept as is. */
        private String placePath(String path) {
            int slash = path.lastIndexOf('/');
            if (slash <= 0) {
                return path;
            }
            // fast path: no component of the directory is a symlink
            boolean link = false;
            for (int i = path.indexOf('/', 1); i > 0 && i <= slash; i = path.indexOf('/', i + 1)) {
                FsEntry p = tree.get(path.substring(0, i));
                if (p != null && p.type() == FsEntry.Type.SYMLINK) {
                    link = true;
                    break;
                }
            }
            if (!link) {
                return path;
            }
            String dir = resolveDir(path.substring(0, slash));
            return (dir.equals("/") ? "" : dir) + path.substring(slash);
        }

        /**
         * A directory path with every symlink followed inside the tree, as securejoin does: ".."
         * never climbs above the root; after {@link #MAX_LINKS} links the rest is taken literally.
         */
        private String resolveDir(String path) {
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
            pushFront(todo, path);
            List<String> cur = new ArrayList<>();
            int links = 0;
            StringBuilder sb = new StringBuilder();
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (!cur.isEmpty()) {
                        cur.remove(cur.size() - 1);
                    }
                    continue;
                }
                sb.setLength(0);
                for (String part : cur) {
                    sb.append('/').append(part);
                }
                String candidate = sb.append('/').append(c).toString();
                FsEntry e = tree.get(candidate);
                if (e != null && e.type() == FsEntry.Type.SYMLINK && links < MAX_LINKS) {
                    links++;
                    if (e.linkTarget().startsWith("/")) {
                        cur.clear();
                    }
                    pushFront(todo, e.linkTarget());
                    continue;
                }
                cur.add(c);
            }
            return cur.isEmpty() ? "/" : "/" + String.join("/", cur);
        }

        private static void pushFront(java.util.ArrayDeque<String> todo, String path) {
            String[] parts = path.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                todo.addFirst(parts[i]);
            }
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
        public void layerEnd(LayerInfo layer, LayerWalker.Sizes sizes) throws IOException {
            summaries.add(new LayerSummary(layer, sizes.compressed(), sizes.uncompressed(),
                    sizes.compression(), count, fileBytes, new ArrayList<>(storePaths)));
            if (tap != null) {
                tap.layerEnd(layer, !moved, record != null && !moved
                        ? new LayerWalker.KnownLayer(record, sizes) : null);
                record = null;
            }
        }
    }
}
