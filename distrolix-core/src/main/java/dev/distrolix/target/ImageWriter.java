package dev.distrolix.target;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.target.ImageTarget.Daemon;
import dev.distrolix.target.ImageTarget.DockerArchive;
import dev.distrolix.target.ImageTarget.OciArchive;
import dev.distrolix.target.ImageTarget.OciDir;
import dev.distrolix.target.ImageTarget.Registry;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The output entry point: writes an assembled image to a parsed target.
 *
 * <pre>{@code
 * ImageTarget target = ImageTarget.parse("docker-archive:out/app.tar").withDefaults("app", "latest");
 * WriteResult r = ImageWriter.write(image, target);   // r.where() = "docker-archive:/…/out/app.tar:app:latest"
 * }</pre>
 */
public final class ImageWriter {
    private ImageWriter() {}

    /**
     * @throws IllegalArgumentException if the target still lacks a tag (or, except for oci:
     *                                  outputs, a name): call {@link ImageTarget#withDefaults} first
     * @throws ImageOutputException     with a one-line message when writing or loading fails;
     *                                  the previous output is then left as it was
     */
    public static WriteResult write(AssembledImage img, ImageTarget target) throws IOException {
        return write(img, target, RegistrySettings.defaults());
    }

    /**
     * As {@link #write(AssembledImage, ImageTarget)}, with explicit settings for a registry push
     * (credentials, --insecure, progress listener); other targets ignore them.
     *
     * @throws dev.distrolix.registry.RegistryException when a push fails; its one-line message
     *                                                  names registry, repository, status and the registry's error
     */
    public static WriteResult write(AssembledImage img, ImageTarget target, RegistrySettings settings)
            throws IOException {
        if (target.tag() == null) {
            throw new IllegalArgumentException("no tag for output " + target + " (give one, or a default tag)");
        }
        if (target instanceof OciDir t) {
            Path dir = t.dir().toAbsolutePath().normalize();
            OciLayoutWriter.write(img, dir, t.tag(), optionalName(t));
            return new WriteResult(img.manifestDigest(), "oci:" + dir + ":" + t.tag());
        }
        if (target instanceof OciArchive t) {
            Path file = t.file().toAbsolutePath().normalize();
            OciArchiveWriter.write(img, file, t.tag(), optionalName(t));
            return new WriteResult(img.manifestDigest(), "oci-archive:" + file + ":" + t.tag());
        }
        if (target instanceof Registry t) {
            PushResult r = RegistryWriter.push(img, t, settings);
            return new WriteResult(r.digest(), t.toString());
        }
        ImageName name = requireName(target);
        if (target instanceof DockerArchive t) {
            Path file = t.file().toAbsolutePath().normalize();
            DockerArchiveWriter.write(img, file, name);
            return new WriteResult(img.manifestDigest(), "docker-archive:" + file + ":" + name);
        }
        Daemon d = (Daemon) target;
        if (d.engine() == ImageTarget.Engine.PODMAN) {
            name = name.podmanLocal();
        }
        String loaded = DaemonLoader.load(img, d.engine(), name);
        return new WriteResult(img.manifestDigest(), d.engine().command() + ":" + loaded);
    }

    /**
     * Fails fast, before a long build, when a file output cannot be written: the nearest existing
     * folder of the output must be a writable directory (access(2) also refuses root an immutable one).
     */
    public static void checkWritable(ImageTarget target) throws ImageOutputException {
        checkWritable(target, RegistrySettings.defaults());
    }

    /** As {@link #checkWritable(ImageTarget)}; for a registry, pings it (and tries the credentials it asks for). */
    public static void checkWritable(ImageTarget target, RegistrySettings settings) throws ImageOutputException {
        if (target instanceof Registry r) {
            try {
                RegistryWriter.check(r, settings);
            } catch (IOException | dev.distrolix.registry.RegistryException e) {
                throw new ImageOutputException(e.getMessage(), e);
            }
            return;
        }
        Path out;
        if (target instanceof OciDir t) {
            out = t.dir();
        } else if (target instanceof OciArchive t) {
            out = t.file().toAbsolutePath().getParent();
        } else if (target instanceof DockerArchive t) {
            out = t.file().toAbsolutePath().getParent();
        } else {
            return; // a daemon: its own errors say more
        }
        Path p = out.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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

    private static ImageName optionalName(ImageTarget t) {
        return t.name() == null ? null : t.imageName();
    }

    private static ImageName requireName(ImageTarget t) {
        if (t.name() == null) {
            throw new IllegalArgumentException("no image name for output " + t + " (give NAME:TAG, or a default name)");
        }
        return t.imageName();
    }
}
