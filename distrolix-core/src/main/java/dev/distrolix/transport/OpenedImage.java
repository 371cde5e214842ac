package dev.distrolix.transport;

import dev.distrolix.image.Artifact;
import dev.distrolix.image.Image;
import dev.distrolix.image.Platform;
import dev.distrolix.image.PlatformChoice;
import java.io.IOException;
import java.util.List;

/**
 * What a source opened: an {@link Image} or an image index, the names the source gives it
 * (a layout's ref name, an archive's RepoTags), and what backs it — an open archive, a
 * temporary export — until {@link #close()}.
 *
 * @param reference the reference as the user wrote it, for messages and tables
 */
public record OpenedImage(String reference, ImageReference parsed, Artifact artifact, List<String> names,
                          AutoCloseable resources) implements AutoCloseable {
    public OpenedImage {
        names = List.copyOf(names);
    }

    /** The image for {@code platform} (null: the default rule of {@link PlatformChoice}). */
    public Image image(Platform platform) throws IOException {
        return PlatformChoice.pick(artifact, platform, reference);
    }

    /** The image by the default platform rule. */
    public Image image() throws IOException {
        return image(null);
    }

    /** Short name for tables: the first name the source gives, else the reference. */
    public String displayName() {
        return names.isEmpty() ? reference : names.get(0);
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception ignored) {
            // read-only resources and temp files: nothing to lose
        }
    }
}
