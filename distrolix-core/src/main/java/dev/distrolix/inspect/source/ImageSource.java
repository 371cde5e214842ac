package dev.distrolix.inspect.source;

import dev.distrolix.InputException;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an image is read from, one implementation per transport, named like skopeo's:
 * {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]}, {@code docker-archive:FILE[:NAME[:TAG]]},
 * {@code podman:NAME[:TAG]} (also {@code containers-storage:}), {@code docker:NAME[:TAG]},
 * {@code docker://HOST[:PORT]/REPO[:TAG|@DIGEST]} (a registry); a bare path is an OCI layout
 * directory or an archive of either kind. A new transport is a record here and a case in {@link #parse}.
 *
 * <p>{@link #open()} reads and checks the manifest, config and the presence of every layer blob,
 * so a bad image fails before any output; layer contents are checked while they are streamed.
 */
public sealed interface ImageSource permits ImageSource.OciLayout, ImageSource.OciArchive,
        ImageSource.DockerArchive, ImageSource.Engine, ImageSource.Registry {
    String FORMS = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]], podman:NAME[:TAG], "
            + "docker:NAME[:TAG], docker://HOST[:PORT]/REPO[:TAG|@DIGEST] or a path";
    String REGISTRY_PREFIX = "docker://";

    /** The reference as the user wrote it. */
    String reference();

    ImageHandle open() throws IOException;

    /** Parses and opens in one step; errors are one line naming the reference. */
    static ImageHandle open(String reference) throws IOException {
        return parse(reference).open();
    }

    /** The same, reaching registries ({@code docker://}) with {@code registry} (credentials, --insecure). */
    static ImageHandle open(String reference, RegistrySettings registry) throws IOException {
        return parse(reference, registry).open();
    }

    /** An OCI image layout directory; TAG is matched against {@code org.opencontainers.image.ref.name}. */
    record OciLayout(String reference, Path dir, String tag) implements ImageSource {
        @Override
        public ImageHandle open() throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new InputException(reference + ": no such directory");
            }
            DirectoryFiles files = new DirectoryFiles(dir);
            return new ImageHandle(this, OciLayoutReader.read(reference, files, tag), files, null);
        }
    }

    /** A tar of an OCI image layout (skopeo, buildah, podman save --format oci-archive). */
    record OciArchive(String reference, Path file, String tag) implements ImageSource {
        @Override
        public ImageHandle open() throws IOException {
            return openArchive(this, file, null, false, tag);
        }
    }

    /** A {@code docker save} archive; NAME[:TAG] picks one of several images by RepoTags. */
    record DockerArchive(String reference, Path file, String name) implements ImageSource {
        @Override
        public ImageHandle open() throws IOException {
            return openArchive(this, file, null, true, name);
        }
    }

    /** An image in podman's or Docker's store, read through {@code save} into a temporary archive. */
    record Engine(String reference, String command, String name) implements ImageSource {
        @Override
        public ImageHandle open() throws IOException {
            Path tmp = EngineSave.save(this);
            try {
                return openArchive(this, tmp, tmp, !command.equals("podman"), null);
            } catch (RuntimeException | IOException e) {
                ImageHandle.deleteQuietly(tmp);
                throw e;
            }
        }
    }

    /**
     * An image in a registry, read through {@link dev.distrolix.registry.RegistryImageReader}:
     * manifests and config into memory, layers streamed from the registry while they are walked.
     */
    record Registry(String reference, RegistryRef ref, RegistrySettings settings) implements ImageSource {
        @Override
        public ImageHandle open() throws IOException {
            RegistryFiles files = RegistryFiles.open(reference, ref, settings);
            try {
                return new ImageHandle(this, OciLayoutReader.read(reference, files, null), files, null);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    private static ImageHandle openArchive(ImageSource source, Path file, Path temp, boolean docker, String select)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputException(source.reference() + ": no such file");
        }
        TarArchiveFiles files = new TarArchiveFiles(file, source.reference());
        try {
            var image = docker ? DockerArchiveReader.read(source.reference(), files, select)
                    : OciLayoutReader.read(source.reference(), files, select);
            return new ImageHandle(source, image, files, temp);
        } catch (RuntimeException | IOException e) {
            files.close();
            throw e;
        }
    }

    /**
     * Parses a reference; a malformed one is an {@link InputException} naming the accepted forms.
     * A {@code docker://} image gets {@link RegistrySettings#defaults()} (credentials from the environment).
     */
    static ImageSource parse(String ref) {
        Objects.requireNonNull(ref, "reference");
        return parse(ref, ref.startsWith(REGISTRY_PREFIX) ? RegistrySettings.defaults() : null);
    }

    /** Parses a reference; {@code registry} is how a {@code docker://} image is reached. */
    static ImageSource parse(String ref, RegistrySettings registry) {
        Objects.requireNonNull(ref, "reference");
        if (ref.startsWith(REGISTRY_PREFIX)) {
            Objects.requireNonNull(registry, "registry settings");
            try {
                return new Registry(ref, RegistryRef.parse(ref.substring(REGISTRY_PREFIX.length())), registry);
            } catch (IllegalArgumentException | InputException e) {
                throw new InputException("'" + ref + "': " + e.getMessage()
                        + " (expected docker://HOST[:PORT]/REPO[:TAG|@DIGEST])", e);
            }
        }
        int colon = ref.indexOf(':');
        String transport = colon < 0 ? "" : ref.substring(0, colon);
        String rest = colon < 0 ? ref : ref.substring(colon + 1);
        switch (transport) {
            case "oci":
                return new OciLayout(ref, Path.of(pathPart(ref, rest)), afterPath(rest));
            case "oci-archive":
                return new OciArchive(ref, Path.of(pathPart(ref, rest)), afterPath(rest));
            case "docker-archive":
                return new DockerArchive(ref, Path.of(pathPart(ref, rest)), afterPath(rest));
            case "podman":
            case "containers-storage":
                return new Engine(ref, "podman", engineName(ref, rest));
            case "docker":
                return new Engine(ref, "docker", engineName(ref, rest));
            default:
                return bare(ref);
        }
    }

    private static ImageSource bare(String ref) {
        Path p = Path.of(ref);
        if (Files.isDirectory(p)) {
            return new OciLayout(ref, p, null);
        }
        if (Files.isRegularFile(p)) {
            return ArchiveKind.isDockerArchive(p) ? new DockerArchive(ref, p, null) : new OciArchive(ref, p, null);
        }
        throw new InputException("'" + ref + "': no such image (expected " + FORMS + ")");
    }

    private static String pathPart(String ref, String rest) {
        int c = rest.indexOf(':');
        String path = c < 0 ? rest : rest.substring(0, c);
        if (path.isEmpty()) {
            throw new InputException("'" + ref + "': no path (expected " + FORMS + ")");
        }
        return path;
    }

    private static String afterPath(String rest) {
        int c = rest.indexOf(':');
        return c < 0 || c == rest.length() - 1 ? null : rest.substring(c + 1);
    }

    private static String engineName(String ref, String name) {
        if (name.isEmpty()) {
            throw new InputException("'" + ref + "': no image name (expected podman:NAME[:TAG] or docker:NAME[:TAG])");
        }
        return name;
    }
}
