package dev.distrolix.inspect.scan;

import dev.distrolix.inspect.LayerWalker;
import java.util.List;
import java.util.Map;

/**
 * What one scan of a layer found, enough to replay it: its entries as in the tar with their content
 * digests ({@link LayerWalker.KnownLayer}), and per collector what it took from the bytes —
 * {@code fileFindings.get(c)} maps an entry's position in the layer to collector c's findings for that
 * file (files with none are left out), {@code layerFindings.get(c)} holds collector c's findings about
 * the layer as a whole.
 */
public record LayerScanRecord(LayerWalker.KnownLayer layer, List<Map<Integer, List<String>>> fileFindings,
                              List<Map<String, String>> layerFindings) {
    public LayerScanRecord {
        fileFindings = List.copyOf(fileFindings);
        layerFindings = List.copyOf(layerFindings);
    }
}
