package dev.distrolix.transport;

import dev.distrolix.image.Image;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes an oci-archive: a tar of an OCI image layout holding just this image, byte-identical
 * for identical inputs. The archive is built in {@code FILE.tmp-NNNN} and renamed over FILE,
 * so an existing FILE stays intact until the new one is complete.
 */
public final class OciArchiveWriter {
    private OciArchiveWriter() {}

    /**
     * @param tag  becomes the index entry's {@code org.opencontainers.image.ref.name}
     * @param name may be null; when set, its normalized form goes into
     *             {@code io.containerd.image.name}, which podman uses to name the loaded image
     */
    public static void write(dev.distrolix.image.Artifact img, Path file, String tag, ImageName name) throws IOException {
        OutputFiles.writeAtomically(file, out -> ArchiveTar.write(LayoutContent.singleImage(img, tag, name), out));
    }
}
