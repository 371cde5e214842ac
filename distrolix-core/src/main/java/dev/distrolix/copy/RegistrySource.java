package dev.distrolix.copy;

import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.registry.RegistryImageReader;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An image in a registry ({@code docker://…}), read through {@link RegistryImageReader}. Blobs
 * are downloaded (verified) into a temp folder only when a destination needs their bytes: a
 * push to the same registry mounts them, and one that finds them present skips them.
 */
final class RegistrySource implements SourceImage {
    private final RegistryImageReader reader;
    private final Path downloads;
    private final ConcurrentHashMap<Digest, Object> locks = new ConcurrentHashMap<>();

    private RegistrySource(RegistryImageReader reader, Path downloads) {
        this.reader = reader;
        this.downloads = downloads;
    }

    static RegistrySource open(RegistryRef ref, RegistrySettings settings) throws IOException {
        RegistryImageReader reader = RegistryImageReader.open(ref, settings);
        return new RegistrySource(reader, TempFiles.createDir("distrolix-pull-"));
    }

    @Override
    public String describe() {
        return reader.ref().toString();
    }

    @Override
    public ManifestBytes top() {
        return reader.manifest();
    }

    @Override
    public ManifestBytes manifest(Descriptor d) throws IOException {
        return reader.manifest(d.digest());
    }

    @Override
    public Path blobFile(Descriptor d) throws IOException {
        Path file = downloads.resolve(d.digest().hex());
        synchronized (locks.computeIfAbsent(d.digest(), k -> new Object())) {
            if (!Files.exists(file)) {
                reader.downloadBlob(d, file);
            }
        }
        return file;
    }

    @Override
    public byte[] blobBytes(Descriptor d) throws IOException {
        return reader.blobBytes(d);
    }

    @Override
    public Optional<RegistryRef> registryRef() {
        return Optional.of(reader.ref());
    }

    @Override
    public String defaultName() {
        String repo = reader.ref().repository();
        return reader.ref().registry().equals(RegistryRef.DOCKER_HUB) && repo.startsWith("library/")
                ? repo.substring(8) : repo;
    }

    @Override
    public String defaultTag() {
        return reader.ref().tag();
    }

    @Override
    public void close() throws IOException {
        dev.distrolix.FileTrees.deleteTree(downloads);
    }
}
