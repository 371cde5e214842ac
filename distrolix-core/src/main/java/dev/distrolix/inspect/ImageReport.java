package dev.distrolix.inspect;

import dev.distrolix.image.Image;
import java.io.IOException;

/**
 * Everything one pass over an image tells: the image, its flattened filesystem, its Nix store
 * paths and the detector findings, with the totals the commands print. Reading it streams every
 * layer once; the report keeps no content.
 *
 * @param reference the image as the user named it; {@code name} its short name for tables
 */
public record ImageReport(String reference, String name, Image image, FlatFilesystem fs, StorePathIndex storePaths,
                          Detectors.Findings findings) {

    public static ImageReport of(String reference, String name, Image image) throws IOException {
        FlatFilesystem fs = FlatFilesystem.read(image);
        return new ImageReport(reference, name, image, fs, StorePathIndex.of(fs), Detectors.scan(fs));
    }

    /** Sum of the layer blobs as stored (what a registry transfers). */
    public long compressedSize() {
        return fs.layers().stream().mapToLong(LayerSummary::compressedSize).sum();
    }

    /** Sum of the layer tars (what {@code docker images} calls the size of a local image). */
    public long uncompressedSize() {
        return fs.layers().stream().mapToLong(LayerSummary::uncompressedSize).sum();
    }

    /** Entries of the flattened filesystem that are not directories. */
    public long fileCount() {
        return fs.entries().stream().filter(e -> e.type() != FsEntry.Type.DIRECTORY).count();
    }

    /** The config's User, or "root" when none is set (what a runtime then uses). */
    public String runsAs() {
        String u = image.config().config().user();
        return u == null ? "root" : u;
    }
}
