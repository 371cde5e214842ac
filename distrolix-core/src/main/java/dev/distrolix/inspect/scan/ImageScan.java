package dev.distrolix.inspect.scan;

import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.LayerWalker;
import dev.distrolix.image.Image;
import dev.distrolix.inspect.TarEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one streaming pass that audit, sbom and why make over an image: the merged filesystem
 * ({@link FlatFilesystem}) plus whatever the given {@link ScanCollector}s gather from the same
 * bytes. Each file's content is read once, in 64 KiB chunks, and handed to every collector that
 * asked for it; memory stays bounded by what the collectors keep, never by file sizes.
 *
 * <p>With a {@link ScanCache}, a layer scanned before by the same kind of collectors is replayed from
 * its record instead of read, and a layer read is recorded. A record holds the layer's entries as they
 * are in its tar; it is replayed only where every entry lands at its tar path again, which depends on
 * the layers below (a symlink there can move an entry): where one does not, {@link StaleRecordException}
 * tells the caller to scan again without records.
 *
 * <p>Symlinks that climb above the root are kept (not refused as the plain reader does), so that
 * the audit can report them; nothing is ever followed on the host.
 */
public final class ImageScan {
    private ImageScan() {}

    /** A record could not be replayed as it was made; scan again without records. */
    public static final class StaleRecordException extends RuntimeException {
        public StaleRecordException(String message) {
            super(message, null, false, false);
        }
    }

    /** The kind of record a read with no collectors keeps: the layer's entries alone. */
    private static final String ENTRIES_KIND = "entries, 1";

    public static FlatFilesystem run(Image image, List<? extends ScanCollector> collectors) throws IOException {
        return run(image, collectors, null, null);
    }

    /**
     * The image's filesystem (what {@link FlatFilesystem#read(Image)} gives), replaying every layer {@code cache}
     * holds a record of, of any kind (an SBOM's, a signing build's, an earlier read's), and recording the layers it
     * reads that have none. A record that cannot be replayed here (a symlink of a lower layer moves one of its
     * entries) makes it read every layer. A null cache reads every layer.
     */
    public static FlatFilesystem filesystem(Image image, ScanCache cache) throws IOException {
        if (cache == null) {
            return FlatFilesystem.read(image);
        }
        try {
            return run(image, List.of(), cache, ENTRIES_KIND);
        } catch (StaleRecordException e) {
            return FlatFilesystem.read(image);
        }
    }

    /**
     * Scans with records: {@code kind} names the collectors (a record is replayed only to the same kind),
     * each of which must be a {@link RecordableCollector}; a null cache reads every layer. With no collectors
     * (the filesystem alone, {@link #filesystem}) a record of any kind is replayed, once its layer's blob has
     * been read against its digest (not decompressed): a damaged or missing blob is reported as a read reports it.
     */
    public static FlatFilesystem run(Image image, List<? extends ScanCollector> collectors, ScanCache cache, String kind)
            throws IOException {
        if (cache != null && !collectors.stream().allMatch(c -> c instanceof RecordableCollector)) {
            throw new IllegalArgumentException("only recordable collectors can be replayed");
        }
        Tap tap = new Tap(List.copyOf(collectors), cache, kind);
        FlatFilesystem fs = FlatFilesystem.read(image, tap, cache == null ? layer -> null : tap::known);
        for (ScanCollector c : collectors) {
            c.finish();
        }
        return fs;
    }

    /** Fans one file's content out to the collectors' sinks; records and replays layers when given a cache. */
    private static final class Tap implements FlatFilesystem.ContentTap {
        private final List<ScanCollector> collectors;
        private final ScanCache cache;
        private final String kind;
        /** No collectors: any kind's record serves (each holds the layer's entries), its blob checked first. */
        private final boolean entriesOnly;
        private final byte[] buffer = new byte[64 * 1024];
        private final List<ContentSink> sinks = new ArrayList<>();
        private final Map<Integer, LayerScanRecord> replays = new HashMap<>();
        /** Layers read although they have a record, which is not to be replaced by what this read keeps. */
        private final java.util.Set<Integer> kept = new java.util.HashSet<>();
        private LayerInfo layer;
        private LayerScanRecord replaying;
        private List<Map<Integer, List<String>>> findings;
        private int ordinal;

        Tap(List<ScanCollector> collectors, ScanCache cache, String kind) {
            this.collectors = collectors;
            this.cache = cache;
            this.kind = kind;
            this.entriesOnly = collectors.isEmpty();
        }

        /** The layer's record, when there is one to replay. */
        LayerWalker.KnownLayer known(LayerInfo layer) throws IOException {
            LayerScanRecord r = cache.load(layer, entriesOnly ? null : kind, collectors.size());
            if (r == null) {
                return null;
            }
            if (entriesOnly && !dev.distrolix.image.LayerStream.verifyBlob(layer.layer())) {
                kept.add(layer.index()); // checked only by reading its tar; its record (an SBOM's, say) stays
                return null;
            }
            replays.put(layer.index(), r);
            return r.layer();
        }

        @Override
        public int recordLimit() {
            return entriesOnly ? ScanCache.MAX_ENTRIES_ANY_KIND : Integer.MAX_VALUE;
        }

        @Override
        public boolean recording() {
            // a replayed layer has its record already; one read beside its record (kept) keeps that one
            return cache != null && replaying == null && findings != null;
        }

        @Override
        public void layerStart(LayerInfo layer) {
            this.layer = layer;
            ordinal = -1;
            replaying = replays.remove(layer.index());
            findings = null;
            if (replaying != null) {
                for (int c = 0; c < collectors.size(); c++) {
                    ((RecordableCollector) collectors.get(c)).replayLayer(layer, replaying.layerFindings().get(c));
                }
            } else if (cache != null && !kept.contains(layer.index())) {
                findings = new ArrayList<>();
                for (int c = 0; c < collectors.size(); c++) {
                    findings.add(new TreeMap<>());
                }
            }
        }

        @Override
        public void entry(LayerInfo layer, TarEntry entry) {
            this.layer = layer;
            ordinal++;
            for (ScanCollector c : collectors) {
                c.entry(layer, entry);
            }
        }

        @Override
        public void known(LayerInfo layer, TarEntry entry) {
            if (replaying == null) {
                throw new StaleRecordException(layer.label() + ": a known entry outside a replayed layer");
            }
            for (int c = 0; c < collectors.size(); c++) {
                List<String> found = replaying.fileFindings().get(c).getOrDefault(ordinal, List.of());
                ((RecordableCollector) collectors.get(c)).replayFile(layer, entry, found);
            }
        }

        @Override
        public boolean wants(TarEntry entry) {
            sinks.clear();
            for (ScanCollector c : collectors) {
                ContentSink s = c.open(layer, entry);
                if (s != null) {
                    sinks.add(s);
                }
            }
            return !sinks.isEmpty();
        }

        @Override
        public void read(LayerInfo layer, TarEntry entry, InputStream content) throws IOException {
            List<ContentSink> active = new ArrayList<>(sinks);
            try {
                int n;
                while (!active.isEmpty() && (n = content.read(buffer, 0, buffer.length)) >= 0) {
                    for (int i = active.size() - 1; i >= 0; i--) {
                        if (!active.get(i).accept(buffer, 0, n)) {
                            active.remove(i);
                        }
                    }
                }
            } finally {
                for (ContentSink s : sinks) {
                    s.end();
                }
                sinks.clear();
            }
            if (findings != null) {
                for (int c = 0; c < collectors.size(); c++) {
                    List<String> found = ((RecordableCollector) collectors.get(c)).fileFindings();
                    if (!found.isEmpty()) {
                        findings.get(c).put(ordinal, List.copyOf(found));
                    }
                }
            }
        }

        @Override
        public void layerEnd(LayerInfo layer, boolean asInTar, LayerWalker.KnownLayer record) {
            if (replaying != null && !asInTar) {
                throw new StaleRecordException(layer.label() + ": an entry of the record lands elsewhere in this image");
            }
            if (record != null && findings != null) {
                List<Map<String, String>> whole = new ArrayList<>();
                for (ScanCollector c : collectors) {
                    whole.add(((RecordableCollector) c).layerFindings(layer));
                }
                cache.store(layer, kind, new LayerScanRecord(record, findings, whole));
            }
            replaying = null;
            findings = null;
        }
    }
}
