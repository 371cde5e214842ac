package dev.distrolix.tar;

import dev.distrolix.nix.NarEntry;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.StoreSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The entries of a store layer, derived only from NAR-level facts so that the local store and a
 * binary cache give identical diff_ids: {@code nix/} and {@code nix/store/} (0755), then each
 * store path in base-name order, its nodes mapped as directory → 0555, regular → 0444 (0555 if
 * executable), symlink → 0777 with its target; all root:root (0:0), mtime 1. A store path that
 * is a directory gives {@code nix/store/<base>/}, a single file or symlink gives
 * {@code nix/store/<base>}.
 */
public final class StoreLayerEntries {
    public static final String STORE_DIR = StorePath.DEFAULT_STORE_DIR;
    public static final long MTIME = 1L;
    public static final int PARENT_MODE = 0755;
    public static final int DIRECTORY_MODE = 0555;
    public static final int FILE_MODE = 0444;
    public static final int EXECUTABLE_MODE = 0555;

    private static final LayerEntry.Ownership ROOT = LayerEntry.Ownership.ROOT;

    private StoreLayerEntries() {}

    /**
     * A producer for the layer of {@code paths} (any order: they are sorted here), reading
     * contents from {@code source}.
     *
     * @throws IllegalArgumentException if a path is not under /nix/store or is listed twice
     */
    public static LayerWriter.EntryProducer producer(Collection<StorePath> paths, StoreSource source) {
        return producer(paths, source, 0);
    }

    /** {@link #producer(Collection, StoreSource)} with its {@link LayerWriter.EntryProducer#sizeHint()}. */
    public static LayerWriter.EntryProducer producer(Collection<StorePath> paths, StoreSource source, long sizeHint) {
        List<StorePath> sorted = sortedUnique(paths);
        return new LayerWriter.EntryProducer() {
            @Override
            public void produce(LayerWriter.EntrySink sink) throws IOException {
                emit(sorted, source, sink);
            }

            @Override
            public long sizeHint() {
                return sizeHint;
            }
        };
    }

    /** Pushes the entries of the layer of {@code paths} into {@code sink}; see {@link #producer}. */
    public static void emit(Collection<StorePath> paths, StoreSource source, LayerWriter.EntrySink sink)
            throws IOException {
        List<StorePath> sorted = sortedUnique(paths);
        sink.accept(new LayerEntry.Directory("nix", PARENT_MODE, ROOT, MTIME));
        sink.accept(new LayerEntry.Directory("nix/store", PARENT_MODE, ROOT, MTIME));
        for (StorePath p : sorted) {
            source.walk(p, e -> sink.accept(toLayerEntry(p, e)));
        }
    }

    /** Maps one NAR node of {@code storePath} to its layer entry. */
    public static LayerEntry toLayerEntry(StorePath storePath, NarEntry e) {
        String path = "nix/store/" + storePath.baseName() + (e.path().isEmpty() ? "" : "/" + e.path());
        if (e instanceof NarEntry.Directory) {
            return new LayerEntry.Directory(path, DIRECTORY_MODE, ROOT, MTIME);
        }
        if (e instanceof NarEntry.Regular r) {
            return new LayerEntry.RegularFile(path, r.executable() ? EXECUTABLE_MODE : FILE_MODE, ROOT, MTIME,
                    r.size(), r.content());
        }
        NarEntry.Symlink s = (NarEntry.Symlink) e;
        return new LayerEntry.Symlink(path, s.target(), ROOT, MTIME);
    }

    private static List<StorePath> sortedUnique(Collection<StorePath> paths) {
        List<StorePath> sorted = new ArrayList<>(paths);
        sorted.sort(null);
        for (int i = 0; i < sorted.size(); i++) {
            StorePath p = sorted.get(i);
            if (!STORE_DIR.equals(p.storeDir())) {
                throw new IllegalArgumentException("store layers need store dir " + STORE_DIR + ", but " + p
                        + " is in " + p.storeDir() + " (images would reference paths that do not exist)");
            }
            if (i > 0 && sorted.get(i - 1).equals(p)) {
                throw new IllegalArgumentException("store path listed twice: " + p);
            }
        }
        return sorted;
    }
}
