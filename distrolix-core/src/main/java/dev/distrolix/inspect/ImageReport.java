package dev.distrolix.inspect;

import dev.distrolix.image.Image;
import dev.distrolix.image.Platform;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.util.List;
import java.io.IOException;

/**
 * Everything one pass over an image tells: the image, its flattened filesystem, its Nix store
 * paths and the detector findings, with the totals the commands print. Reading it streams every
 * layer once; the report keeps no content.
 *
 * @param reference the image as the user named it; {@code names} what its source calls it
 */
public record ImageReport(String reference, List<String> names, Image image, FlatFilesystem fs,
                          StorePathIndex storePaths, Detectors.Findings findings) {
    public ImageReport {
        names = List.copyOf(names);
    }

    /** How an image's filesystem is read: {@link FlatFilesystem#read(Image)}, or from records of its layers. */
    @FunctionalInterface
    public interface FilesystemReader {
        FlatFilesystem read(Image image) throws IOException;
    }

    /**
     * Opens the image (any transport; {@code platform} null: the default rule), reads it with {@code reader}, closes
     * it.
     */
    public static ImageReport read(String reference, RegistrySettings registry, Platform platform,
                                   FilesystemReader reader) throws IOException {
        try (OpenedImage o = Transports.open(reference, registry)) {
            return of(reference, o.names(), o.image(platform), reader);
        }
    }

    public static ImageReport of(String reference, List<String> names, Image image) throws IOException {
        return of(reference, names, image, FlatFilesystem::read);
    }

    public static ImageReport of(String reference, List<String> names, Image image, FilesystemReader reader)
            throws IOException {
        FlatFilesystem fs = reader.read(image);
        return new ImageReport(reference, names, image, fs, StorePathIndex.of(fs), Detectors.scan(fs));
    }

    /** Short name for tables: the first name the source gives, else the reference. */
    public String name() {
        return names.isEmpty() ? reference : names.get(0);
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
        return fs.fileCount();
    }

    /** The config's User, or "root" when none is set (what a runtime then uses). */
    public String runsAs() {
        String u = image.config().config().user();
        return u == null ? "root" : u;
    }
}
