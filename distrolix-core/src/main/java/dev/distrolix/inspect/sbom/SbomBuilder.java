package dev.distrolix.inspect.sbom;

import dev.distrolix.image.ClosureGraphLabel;
import dev.distrolix.blob.Digest;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.image.Image;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.inspect.refs.NarHasher;
import dev.distrolix.inspect.refs.ReferenceGraph;
import dev.distrolix.inspect.refs.ReferenceScanner;
import dev.distrolix.inspect.scan.ImageScan;
import dev.distrolix.inspect.scan.ScanCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes an {@link ImageSbom} in one streaming pass over the image: the reference scan (every
 * 32-character nix32 window of every file and symlink target, matched against the store paths
 * present) and the NAR hashes are computed from the same bytes.
 */
public final class SbomBuilder {
    private SbomBuilder() {}

    /** What the pass produces; {@code graph} is also what {@code why} walks. */
    public record Scan(FlatFilesystem fs, StorePathIndex store, ReferenceGraph graph, SortedMap<String, Digest> narHashes,
                       SortedMap<String, String> narProblems) {}

    /**
     * Names what a {@link ScanCache} record of this scan holds; a change to what {@link ReferenceScanner} or
     * {@link NarHasher} take from a layer, or to the record's entries, must change it, so that older records
     * are read again instead of replayed.
     */
    static final String RECORD_KIND = "sbom: references + NAR hashes, 1";

    public static Scan scan(Image image) throws IOException {
        return scan(image, null);
    }

    /**
     * The scan, replaying the layers {@code cache} holds records of and recording the others (null: every
     * layer read, nothing kept). The result is the same either way.
     */
    public static Scan scan(Image image, ScanCache cache) throws IOException {
        if (cache != null) {
            try {
                return scanOnce(image, cache);
            } catch (ImageScan.StaleRecordException e) {
                // a record that does not fit this image (a symlink below moves its entries): read every layer
            }
        }
        return scanOnce(image, null);
    }

    private static Scan scanOnce(Image image, ScanCache cache) throws IOException {
        ReferenceScanner refs = new ReferenceScanner();
        NarHasher nar = new NarHasher();
        FlatFilesystem fs = ImageScan.run(image, List.of(refs, nar), cache, RECORD_KIND);
        StorePathIndex store = StorePathIndex.of(fs);
        return new Scan(fs, store, refs.graph(fs, store), nar.hashes(fs), nar.failures());
    }

    /** @param reference the image as the user named it; {@code name} its short name */
    public static ImageSbom build(String reference, String name, Image image) throws IOException {
        return build(reference, name, image, null);
    }

    /** Like {@link #build(String, String, Image)}, with the layer scans {@code cache} keeps (null: none). */
    public static ImageSbom build(String reference, String name, Image image, ScanCache cache) throws IOException {
        return of(reference, name, image, scan(image, cache));
    }

    static ImageSbom of(String reference, String name, Image image, Scan s) {
        List<ImageSbom.Component> components = new ArrayList<>();
        SortedMap<String, SortedSet<String>> deps = new TreeMap<>();
        SortedSet<String> roots = new TreeSet<>(s.graph().roots());
        for (StorePathIndex.Entry e : s.store().entries()) {
            components.add(new ImageSbom.Component(e.baseName(), e.hash(), e.name(), e.version(), e.size(), e.files(),
                    s.narHashes().get(e.baseName()), s.narProblems().get(e.baseName())));
            deps.put(e.baseName(), new TreeSet<>(s.graph().references(e.baseName()).keySet()));
            if (!s.graph().outsideReferrers(e.baseName()).isEmpty()) {
                roots.add(e.baseName());
            }
        }
        String digest = (image.sourceDigest() != null ? image.sourceDigest() : image.configDigest()).toString();
        return new ImageSbom(reference, name, digest, image.config().created(), components, deps, roots,
                check(image, deps));
    }

    private static GraphCheck check(Image image, SortedMap<String, SortedSet<String>> scanned) {
        String label = image.config().config().labels().get(ClosureGraphLabel.LABEL);
        if (label == null) {
            return GraphCheck.noBuildGraph();
        }
        try {
            return GraphCheck.compare(ClosureGraphLabel.decode(label), scanned);
        } catch (IllegalArgumentException e) {
            return GraphCheck.unreadable(e.getMessage());
        }
    }
}
