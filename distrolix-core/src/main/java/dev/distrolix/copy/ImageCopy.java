package dev.distrolix.copy;

import dev.distrolix.Background;
import dev.distrolix.InputException;
import dev.distrolix.image.Artifact;
import dev.distrolix.image.Platform;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import dev.distrolix.transport.WriteResult;
import java.io.IOException;
import java.util.List;

/**
 * Copies an image between any two transports, like {@code skopeo copy}: {@code sink.write(source.open())}.
 * Manifest bytes are not rewritten, so the digest survives wherever the destination keeps
 * manifests. To a registry an index is copied whole (every platform) unless a platform is named;
 * blobs the registry has are skipped, blobs of the same registry mounted. Every other
 * destination holds one image, picked by the one platform rule.
 *
 * <pre>{@code
 * CopyResult r = ImageCopy.copy("oci:out/nginx:1", "docker://127.0.0.1:5000/nginx:1", RegistrySettings.defaults());
 * }</pre>
 */
public final class ImageCopy {
    private ImageCopy() {}

    /** @throws InputException for a malformed reference, or a source that is missing or is not an image */
    public static CopyResult copy(String src, String dst, RegistrySettings settings) throws IOException {
        return copy(src, dst, settings, settings, null);
    }

    /** With other settings (e.g. credentials) for reading the source than for writing the destination. */
    public static CopyResult copy(String src, String dst, RegistrySettings sourceSettings, RegistrySettings settings)
            throws IOException {
        return copy(src, dst, sourceSettings, settings, null);
    }

    /** {@code platform}: the image to take from an index (null: all of them to a registry, else the default rule). */
    public static CopyResult copy(String src, String dst, RegistrySettings sourceSettings, RegistrySettings settings,
                                  Platform platform) throws IOException {
        return copy(src, dst, sourceSettings, settings, platform, false);
    }

    /**
     * {@code allPlatforms}: an index goes whole to an {@code oci:} or {@code oci-archive:} destination too (a registry
     * always takes it whole); the other destinations hold one image and refuse it.
     */
    public static CopyResult copy(String src, String dst, RegistrySettings sourceSettings, RegistrySettings settings,
                                  Platform platform, boolean allPlatforms) throws IOException {
        return copy(src, dst, sourceSettings, settings, platform, allPlatforms, null);
    }

    /** What runs once the source is open and checked, before anything is written (null: nothing). */
    @FunctionalInterface
    public interface BeforeWrite {
        /** {@code artifact} is what will be written to {@code target}; a failure here ends the copy unwritten. */
        void check(Artifact artifact, ImageReference target) throws IOException;
    }

    /** The same, running {@code beforeWrite} before the write (a copy's signatures are read there). */
    public static CopyResult copy(String src, String dst, RegistrySettings sourceSettings, RegistrySettings settings,
                                  Platform platform, boolean allPlatforms, BeforeWrite beforeWrite) throws IOException {
        if (allPlatforms && platform != null) {
            throw new dev.distrolix.InputException("--all-platforms and --platform contradict each other: choose one");
        }
        dev.distrolix.TempFiles.sweepTempDirectory(); // what killed runs left in the temp folder
        ImageReference target = ImageReference.parseTarget(dst);
        ImageReference source = ImageReference.parseSource(src);
        // a registry destination is asked while the source opens (a client's first request costs a short run tens
        // of ms); its failure is still the one reported when both fail, as when it was asked first
        Background<Void> targetCheck = null;
        if (target instanceof ImageReference.Registry) {
            targetCheck = Background.start("distrolix-target-check", () -> {
                Transports.checkWritable(target, settings);
                return null;
            });
        } else {
            Transports.checkWritable(target, settings);
        }
        try (OpenedImage opened = open(source, src, sourceSettings, targetCheck)) {
            List<String> defaults = Transports.defaultNameAndTag(opened);
            String tag = defaults.get(1) != null ? defaults.get(1) : "latest";
            ImageReference t = target.withDefaults(defaults.get(0), tag);
            // a registry takes an index whole; every other output one image, picked (and named) at the source
            if (allPlatforms && !(t instanceof ImageReference.Registry || t instanceof ImageReference.OciLayout
                    || t instanceof ImageReference.OciArchive)) {
                throw new dev.distrolix.InputException(dst + " holds one image: --all-platforms needs a docker://, oci: or"
                        + " oci-archive: destination (or name one platform with --platform)");
            }
            if (allPlatforms && !(t instanceof ImageReference.Registry) && opened.artifact() instanceof dev.distrolix.image.ImageIndex
                    && !opened.artifact().mediaType().equals(dev.distrolix.image.MediaTypes.OCI_INDEX)) {
                throw new dev.distrolix.InputException(src + " is a Docker manifest list: an OCI layout holds OCI indexes;"
                        + " copy it to a registry whole, or one platform at a time (--platform)");
            }
            Artifact artifact = (t instanceof ImageReference.Registry && platform == null) || allPlatforms
                    ? opened.artifact() : opened.image(platform);
            if (beforeWrite != null) {
                beforeWrite.check(artifact, t);
            }
            WriteResult w;
            try {
                w = Transports.write(artifact, t, settings, platform);
            } catch (IOException e) {
                throw sourceFault(e, src);
            }
            List<dev.distrolix.blob.Digest> entries = artifact instanceof dev.distrolix.image.ImageIndex index
                    ? index.manifests().stream().map(dev.distrolix.image.Descriptor::digest).toList() : List.of();
            return new CopyResult(src, w.where(), w.manifestDigest(), w.push(), entries);
        } finally {
            if (targetCheck != null) {
                targetCheck.cancel();
            }
        }
    }

    /** The source, opened, once {@code targetCheck} (null: none) has passed: the destination's failure is the one reported. */
    private static OpenedImage open(ImageReference source, String src, RegistrySettings settings,
                                    Background<Void> targetCheck) throws IOException {
        OpenedImage opened;
        try {
            opened = Transports.open(source, src, settings);
        } catch (IOException | RuntimeException e) {
            if (targetCheck != null) {
                targetCheck.join();
            }
            throw e;
        }
        if (targetCheck != null) {
            try {
                targetCheck.join();
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
        }
        return opened;
    }

    /**
     * A write that failed because the source's bytes are bad (a layer that is truncated, corrupt or
     * not what its digest says — found only as it streams) is the source's fault: an input error
     * naming the source. Failures of the destination pass unchanged.
     */
    private static IOException sourceFault(IOException e, String src) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof InputException input) {
                String m = input.getMessage() == null ? "" : input.getMessage();
                throw new InputException(m.contains(src) ? m : src + ": " + m, e);
            }
        }
        return e;
    }
}
