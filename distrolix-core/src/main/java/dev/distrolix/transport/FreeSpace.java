package dev.distrolix.transport;

import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Refuses a write the disk cannot hold before any of it is written: sizes are what the image
 * declares (checked again as the bytes stream), so an image that claims gigabytes fails at once
 * with one line instead of filling the disk and failing half-way.
 */
final class FreeSpace {
    private FreeSpace() {}

    /** The bytes of the blobs an index's images take (a layer shared by two counted twice: an upper bound). */
    static long blobBytes(dev.distrolix.image.Artifact artifact) throws java.io.IOException {
        if (artifact instanceof Image img) {
            return blobBytes(img);
        }
        dev.distrolix.image.ImageIndex index = (dev.distrolix.image.ImageIndex) artifact;
        long total = index.manifestBytes().length;
        for (dev.distrolix.image.Descriptor d : index.manifests()) {
            total = addExact(total, blobBytes(index.image(d)));
        }
        return total;
    }

    /** The bytes of the blobs an image's files take (layers as stored, config, manifest). */
    static long blobBytes(Image img) {
        long total = img.configDescriptor().size() + img.manifestBytes().length;
        for (Layer l : img.layers()) {
            total = addExact(total, l.size());
        }
        return total;
    }

    /** Throws when the file system holding {@code dir} (or its nearest existing parent) has less room. */
    static void check(Path dir, long bytes) throws ImageOutputException {
        Path p = dir;
        while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        long usable;
        try {
            usable = Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return; // no answer from the file system: the write itself will tell
        }
        if (usable < bytes) {
            throw new ImageOutputException("not enough free space in " + p + ": the image needs " + bytes
                    + " bytes, " + Math.max(0, usable) + " are free");
        }
    }

    private static long addExact(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
