package dev.distrolix.registry;

import dev.distrolix.blob.VerifyingInputStream;

import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads an image from a registry ({@code docker://…} as a source): the manifest or index the
 * reference names, the manifests an index lists, and blobs — all checked against their digests.
 * It depends on nothing but this package, so it can back a {@code docker://} image source
 * wherever images are read.
 *
 * <pre>{@code
 * RegistryImageReader r = RegistryImageReader.open(RegistryRef.parse("127.0.0.1:5000/nginx:1"), settings);
 * ManifestBytes top = r.manifest();                     // OCI/Docker manifest or index, exact bytes
 * byte[] config = r.blobBytes(configDescriptor);
 * r.downloadBlob(layerDescriptor, Path.of("layer.tar.gz"));
 * }</pre>
 */
public final class RegistryImageReader {
    /** Manifests and configs are small; refuse to hold more than this in memory. */
    public static final long MAX_IN_MEMORY = 64L << 20;

    private final RegistryRef ref;
    private final Repository repo;
    private final ManifestBytes top;

    private RegistryImageReader(RegistryRef ref, Repository repo, ManifestBytes top) {
        this.ref = ref;
        this.repo = repo;
        this.top = top;
    }

    /** Connects, and reads the manifest or index {@code ref} names (its digest if given, else its tag). */
    public static RegistryImageReader open(RegistryRef ref, RegistrySettings settings) throws IOException {
        RegistryClient client = RegistryClient.connect(ref.registry(), settings);
        Repository repo = client.repository(ref.repository(), false);
        return new RegistryImageReader(ref, repo, repo.getManifest(ref.reference()));
    }

    public RegistryRef ref() {
        return ref;
    }

    public Repository repository() {
        return repo;
    }

    /** The manifest or index the reference names, exactly as stored. */
    public ManifestBytes manifest() {
        return top;
    }

    /** A manifest an index lists, by digest. */
    public ManifestBytes manifest(Digest digest) throws IOException {
        return repo.getManifest(digest.toString());
    }

    /** A small blob (a config) in memory, verified. */
    public byte[] blobBytes(Descriptor d) throws IOException {
        if (d.size() > MAX_IN_MEMORY) {
            throw RegistryException.of(repo.client().registry(), repo.name(), "reading blob " + d.digest(),
                    "it is " + d.size() + " bytes, too large for a config", null);
        }
        return repo.client().settings().retry().run(a -> {
            try (InputStream in = openBlob(d)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw repo.client().io(repo.name(), "reading blob " + d.digest(), e);
            }
        }, repo.client().retryListener(d.digest()));
    }

    /**
     * A blob as a stream that fails at its end unless size and digest match: an {@link dev.distrolix.InputException}
     * (the image as served is bad), not retried, where the bytes are others or too many; one that ends short is retried.
     */
    public InputStream openBlob(Descriptor d) throws IOException {
        return VerifyingInputStream.ofRegistry(repo.openBlob(d.digest()), d.digest(), d.size(),
                "blob " + d.digest() + " from " + ref.registry() + "/" + ref.repository());
    }

    /** Downloads a blob to {@code file} (atomically: temp file, then rename), verified, with retries. */
    public void downloadBlob(Descriptor d, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        repo.client().settings().retry().run(a -> {
            Path temp = dev.distrolix.TempFiles.createBeside(file); // PID-named: swept if this process is killed
            try {
                try (InputStream in = openBlob(d); OutputStream out = Files.newOutputStream(temp)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    throw repo.client().io(repo.name(), "reading blob " + d.digest(), e);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return null;
            } finally {
                Files.deleteIfExists(temp);
            }
        }, repo.client().retryListener(d.digest()));
    }
}
