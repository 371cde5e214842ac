package dev.distrolix.inspect;

import dev.distrolix.transport.ImageHandle;
import dev.distrolix.transport.ImageSource;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;

/**
 * Everything one pass over an image tells: the {@link OciImage} view, its flattened filesystem,
 * its Nix store paths and the detector findings, with the totals the commands print. Reading it
 * streams every layer once; the handle is closed afterwards (the report keeps no content).
 */
public record ImageReport(OciImage image, FlatFilesystem fs, StorePathIndex storePaths, Detectors.Findings findings) {

    public static ImageReport read(String reference) throws IOException {
        try (ImageHandle h = ImageSource.open(reference)) {
            return of(h.image());
        }
    }

    /** The same, reaching registries ({@code docker://}) with {@code registry}. */
    public static ImageReport read(String reference, RegistrySettings registry) throws IOException {
        try (ImageHandle h = ImageSource.open(reference, registry)) {
            return of(h.image());
        }
    }

    public static ImageReport of(OciImage image) throws IOException {
        FlatFilesystem fs = FlatFilesystem.read(image);
        return new ImageReport(image, fs, StorePathIndex.of(fs), Detectors.scan(fs));
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
        String u = image.config().user();
        return u == null ? "root" : u;
    }
}
