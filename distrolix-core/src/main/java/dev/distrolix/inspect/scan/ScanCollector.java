package dev.distrolix.inspect.scan;

import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.TarEntry;

/**
 * One kind of fact gathered during the single pass over an image's layers (ELF headers, store
 * references, per-layer sizes, …). Sees every tar entry in layer order, base first — including
 * entries a later layer overwrites or deletes, so results keyed by path must keep the layer and be
 * matched against the merged {@link dev.distrolix.inspect.FlatFilesystem} afterwards.
 */
public interface ScanCollector {
    /** Every tar entry, whiteouts included, before it is merged. */
    default void entry(LayerInfo layer, TarEntry entry) {}

    /** For a regular file: a sink for its content, or null to skip it. */
    default ContentSink open(LayerInfo layer, TarEntry file) {
        return null;
    }

    /** All layers were read. */
    default void finish() {}
}
