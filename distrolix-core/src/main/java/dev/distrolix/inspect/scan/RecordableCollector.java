package dev.distrolix.inspect.scan;

import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.TarEntry;
import java.util.List;
import java.util.Map;

/**
 * A collector whose findings from one layer can be kept ({@link ScanCache}) and given back on a later
 * scan instead of the layer's content, so that a layer already scanned is not read again. What it takes
 * from a file's bytes must be said by {@link #fileFindings()}, and what it takes from a layer as a whole
 * by {@link #layerFindings}; everything else it learns from the entries, which are replayed as read.
 */
public interface RecordableCollector extends ScanCollector {
    /** What was taken from the content of the file just read (asked after its sink ended); empty for nothing. */
    default List<String> fileFindings() {
        return List.of();
    }

    /** A regular file of a replayed layer, instead of {@link #open} and its bytes: what fileFindings said then. */
    void replayFile(LayerInfo layer, TarEntry file, List<String> findings);

    /** After the last entry of a layer that was read: what is known of the layer as a whole. */
    default Map<String, String> layerFindings(LayerInfo layer) {
        return Map.of();
    }

    /** Before the first entry of a replayed layer: what layerFindings said when it was read. */
    default void replayLayer(LayerInfo layer, Map<String, String> findings) {}
}
