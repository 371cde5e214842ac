package dev.distrolix.copy;

import dev.distrolix.image.Descriptor;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.RegistryRef;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image being copied, wherever it is stored: the manifest or index it names (exact bytes)
 * and everything those reference. Registries, OCI layouts and both archive kinds implement it.
 * Closing removes whatever the source unpacked or downloaded.
 */
interface SourceImage extends Closeable {
    /** The source as the user named it, for messages. */
    String describe();

    ManifestBytes top();

    /** A manifest an index lists (its descriptor says the media type). */
    ManifestBytes manifest(Descriptor d) throws IOException;

    /** A blob as a local file (downloaded or unpacked on first use; safe from several threads). */
    Path blobFile(Descriptor d) throws IOException;

    /** A small blob (a config) in memory. */
    byte[] blobBytes(Descriptor d) throws IOException;

    /** The registry image this is, so a push to the same registry can mount instead of upload. */
    default Optional<RegistryRef> registryRef() {
        return Optional.empty();
    }

    /** A name for the destination when it names none (a repository path), or null. */
    String defaultName();

    /** A tag for the destination when it names none, or null. */
    String defaultTag();
}
