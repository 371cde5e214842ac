package dev.distrolix.transport;

import dev.distrolix.FileTrees;
import dev.distrolix.InputException;
import dev.distrolix.image.Artifact;
import dev.distrolix.image.DockerToOci;
import dev.distrolix.image.Image;
import dev.distrolix.image.Platform;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference.Daemon;
import dev.distrolix.transport.ImageReference.DockerArchive;
import dev.distrolix.transport.ImageReference.OciArchive;
import dev.distrolix.transport.ImageReference.OciLayout;
import dev.distrolix.transport.ImageReference.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The transport layer: each {@link ImageReference} kind has a source side ({@link #open}) and a
 * sink side ({@link #write}); a copy is {@code write(open(src).artifact(), dst)}. Every command
 * reads images through {@link #open}, so tags, platforms and errors are handled one way.
 *
 * <pre>{@code
 * try (OpenedImage src = Transports.open("oci:out/nginx:1", RegistrySettings.defaults())) {
 *     Transports.write(src.artifact(), ImageReference.parse("docker://127.0.0.1:5000/nginx:1"), settings);
 * }
 * }</pre>
 */
public final class Transports {
    private Transports() {}

    /** Parses (a bare path is read by its content) and opens an image to read. */
    public static OpenedImage open(String reference, RegistrySettings settings) throws IOException {
        return open(ImageReference.parseSource(reference), reference, settings);
    }

    /**
     * Opens an image to read: its manifest (or index), config and the presence of every layer are
     * checked now, so a bad image fails before any output; layers are checked as they stream.
     */
    public static OpenedImage open(ImageReference ref, String reference, RegistrySettings settings)
            throws IOException {
        try {
            return openUnnamed(ref, reference, settings);
        } catch (InputException e) {
            // every message about an image names it first, whichever reader found the problem
            if (e.getMessage() != null && !e.getMessage().startsWith(reference) && !e.getMessage().startsWith("'")) {
                throw new InputException(reference + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Opens an image in a registry for a reader that reads only some of its layers and can do without the others (a
     * build taking a registry's layers where their cache keys match, each verified as it streams, one that cannot be
     * read made instead): its manifest and config are read now, but its layers are taken as the manifest describes them
     * instead of asked about first (see {@code RegistryFiles#openTrusting}).
     */
    public static OpenedImage openLayersLater(Registry ref, String reference, RegistrySettings settings)
            throws IOException {
        return registry(ref, reference, RegistryFiles.openTrusting(reference, ref.ref(), settings));
    }

    private static OpenedImage openUnnamed(ImageReference ref, String reference, RegistrySettings settings)
            throws IOException {
        if (ref instanceof OciLayout l) {
            if (!Files.isDirectory(l.dir())) {
                throw new InputException(reference + ": no such directory");
            }
            DirectoryFiles files = new DirectoryFiles(l.dir());
            LayoutReader.Selected s = new LayoutReader(reference, files).select(l.tag());
            return new OpenedImage(reference, ref, s.artifact(), s.names(), files);
        }
        if (ref instanceof OciArchive a) {
            return archive(ref, reference, a.file(), a.tag(), false, null);
        }
        if (ref instanceof DockerArchive a) {
            String select = a.name() == null ? null : a.name() + (a.tag() == null ? "" : ":" + a.tag());
            return archive(ref, reference, a.file(), select, true, null);
        }
        if (ref instanceof Daemon d) {
            if (d.name() == null) {
                throw new InputException("'" + reference + "': no image name (expected " + d.engine().command()
                        + ":NAME[:TAG])");
            }
            Path saved = EngineSave.save(d, reference);
            try {
                OpenedImage o = archive(ref, reference, saved, null, d.engine() == ImageReference.Engine.DOCKER,
                        saved);
                // podman's export converts the manifest: the image is known by the digest podman shows
                java.util.Optional<dev.distrolix.blob.Digest> shown = d.engine() == ImageReference.Engine.PODMAN
                        ? EngineSave.podmanDigest(d) : java.util.Optional.empty();
                if (shown.isPresent() && o.artifact() instanceof dev.distrolix.image.ImageParts image) {
                    return new OpenedImage(reference, ref, image.withSourceDigest(shown.get()), o.names(),
                            o.resources());
                }
                return o;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(saved);
                throw e;
            }
        }
        Registry r = (Registry) ref;
        return registry(r, reference, RegistryFiles.open(reference, r.ref(), settings));
    }

    private static OpenedImage registry(Registry ref, String reference, RegistryFiles files) throws IOException {
        try {
            LayoutReader.Selected s = new LayoutReader(reference, files).select(null);
            return new OpenedImage(reference, ref, s.artifact(), s.names(), files);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static OpenedImage archive(ImageReference ref, String reference, Path file, String select,
                                       boolean docker, Path temp) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputException(reference + (!Files.exists(file) ? ": no such file"
                    : Files.isDirectory(file) ? ": a folder, not an archive (an OCI layout folder is read as oci:DIR)"
                    : ": not a regular file (an archive is read from a file)"));
        }
        TarArchiveFiles files = new TarArchiveFiles(file, reference);
        AutoCloseable resources = () -> {
            files.close();
            if (temp != null) {
                FileTrees.deleteTree(temp);
            }
        };
        try {
            boolean layout = files.exists("index.json") && files.exists("oci-layout");
            if (docker && !layout) {
                DockerArchiveReader.Read read = DockerArchiveReader.read(reference, files, select);
                return new OpenedImage(reference, ref, read.image(), read.names(), resources);
            }
            // Docker 25+ (and our own) docker-archives are OCI layouts too: read them as such, keeping
            // their manifests; a NAME:TAG is then matched like a layout tag, by its tag part
            String tag = docker ? tagOf(select) : select;
            LayoutReader.Selected s = new LayoutReader(reference, files).select(tag);
            return new OpenedImage(reference, ref, s.artifact(), s.names(), resources);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** NAME:TAG → TAG. */
    private static String tagOf(String reference) {
        if (reference == null) {
            return null;
        }
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "latest";
    }

    /**
     * Writes an image, or an index, to an output. A registry takes an index whole; every other
     * output holds one image and takes the one {@code platform} picks (null: the default rule).
     *
     * @throws InputException if the target still lacks a tag (or, except for oci: outputs, a name):
     *                        fill them with {@link ImageReference#withDefaults} first
     */
    public static WriteResult write(Artifact artifact, ImageReference target, RegistrySettings settings,
                                    Platform platform) throws IOException {
        return write(artifact, target, settings, platform, dev.distrolix.registry.ImagePusher.Gate.OPEN);
    }

    /**
     * As {@link #write(Artifact, ImageReference, RegistrySettings, Platform)}, passing {@code gate} before anything
     * is published: to a registry once the blobs are stored and before any manifest; elsewhere before writing.
     */
    public static WriteResult write(Artifact artifact, ImageReference target, RegistrySettings settings,
                                    Platform platform, dev.distrolix.registry.ImagePusher.Gate gate) throws IOException {
        if (!(target instanceof Registry)) {
            gate.pass();
        }
        if (target.tag() == null && !(target instanceof Registry g && g.digest() != null)) {
            throw new InputException("no tag for output " + target + " (give one, or a default tag)");
        }
        if (target instanceof Registry t) {
            if (t.digest() != null) {
                throw new InputException("output " + t + ": an image is pushed under tags, not to a digest");
            }
            Artifact pushed = artifact instanceof Image || platform == null ? artifact
                    : PlatformChoice.pick(artifact, platform, target.toString());
            PushResult r = RegistryWriter.push(pushed, t, settings, gate);
            return new WriteResult(r.digest(), t.toString(), r);
        }
        // an OCI index goes whole into a layout (nested, as skopeo copy --all writes it) when no platform is named
        boolean wholeIndex = artifact instanceof dev.distrolix.image.ImageIndex && platform == null
                && artifact.mediaType().equals(dev.distrolix.image.MediaTypes.OCI_INDEX)
                && (target instanceof OciLayout || target instanceof OciArchive);
        // every local output is (or contains) an OCI layout, which lists OCI manifests
        Artifact img = wholeIndex ? artifact : DockerToOci.convert(PlatformChoice.pick(artifact, platform, target.toString()));
        if (target instanceof OciLayout t) {
            Path dir = t.dir().toAbsolutePath().normalize();
            FreeSpace.check(dir, FreeSpace.blobBytes(img));
            OciLayoutWriter.write(img, dir, t.tag(), optionalName(t));
            return new WriteResult(img.manifestDigest(), "oci:" + dir + ":" + t.tag());
        }
        if (target instanceof OciArchive t) {
            Path file = t.file().toAbsolutePath().normalize();
            FreeSpace.check(file.getParent(), FreeSpace.blobBytes(img));
            OciArchiveWriter.write(img, file, t.tag(), optionalName(t));
            return new WriteResult(img.manifestDigest(), "oci-archive:" + file + ":" + t.tag());
        }
        ImageName name = requireName(target);
        Image one = (Image) img;
        if (target instanceof DockerArchive t) {
            Path file = t.file().toAbsolutePath().normalize();
            FreeSpace.check(file.getParent(), FreeSpace.blobBytes(one)); // plus the plain tars, checked as they are sized
            DockerArchiveWriter.write(one, file, name);
            return new WriteResult(one.manifestDigest(), "docker-archive:" + file + ":" + name);
        }
        Daemon d = (Daemon) target;
        if (d.engine() == ImageReference.Engine.PODMAN) {
            name = name.podmanLocal();
        }
        String loaded = DaemonLoader.load(one, d.engine(), name);
        return new WriteResult(one.manifestDigest(), d.engine().command() + ":" + loaded);
    }

    /** {@link #write(Artifact, ImageReference, RegistrySettings, Platform)} by the default platform rule. */
    public static WriteResult write(Artifact artifact, ImageReference target, RegistrySettings settings)
            throws IOException {
        return write(artifact, target, settings, null);
    }

    /**
     * Fails fast, before a long build, when an output cannot be written: a file output's nearest
     * existing folder must be a writable directory; a registry must answer and accept our
     * credentials; an engine must be installed.
     */
    public static void checkWritable(ImageReference target, RegistrySettings settings) throws ImageOutputException {
        if (target instanceof Registry r) {
            try {
                RegistryWriter.check(r, settings);
            } catch (IOException e) {
                throw new ImageOutputException(e.getMessage(), e);
            }
            return;
        }
        Path out;
        if (target instanceof OciLayout t) {
            out = t.dir();
        } else if (target instanceof OciArchive t) {
            out = t.file().toAbsolutePath().getParent();
        } else if (target instanceof DockerArchive t) {
            out = t.file().toAbsolutePath().getParent();
        } else {
            DaemonLoader.checkEngine(((Daemon) target).engine());
            return;
        }
        Path p = out.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new ImageOutputException("cannot write to " + out + ": a part of the path is not a directory");
        }
        if (!Files.isWritable(p)) {
            throw new ImageOutputException("cannot write to " + out + ": permission denied");
        }
    }

    private static ImageName optionalName(ImageReference t) {
        return t.name() == null ? null : t.imageName();
    }

    private static ImageName requireName(ImageReference t) {
        if (t.name() == null) {
            throw new InputException("no image name for output " + t + " (give NAME:TAG, or a default name)");
        }
        return t.imageName();
    }

    /** The names a source offers for an output that names none: its first name split as NAME and TAG. */
    public static List<String> defaultNameAndTag(OpenedImage source) {
        if (source.parsed() instanceof Registry r) {
            return java.util.Arrays.asList(r.ref().repository(), r.tag());
        }
        if (source.names().isEmpty()) {
            return java.util.Arrays.asList(null, null);
        }
        String n = source.names().get(0);
        int colon = n.lastIndexOf(':');
        if (colon > n.lastIndexOf('/')) {
            return java.util.Arrays.asList(n.substring(0, colon), n.substring(colon + 1));
        }
        return java.util.Arrays.asList(null, n); // an OCI ref.name holds just a tag
    }
}
