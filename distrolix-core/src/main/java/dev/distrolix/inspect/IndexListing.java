package dev.distrolix.inspect;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.PlatformChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * What an index lists, as {@code inspect} shows it: each entry's platform, manifest digest and
 * size from the index alone (no image is opened for it, so one broken entry does not hide the
 * others), and which entry the command read.
 */
public record IndexListing(Digest digest, String mediaType, List<Row> rows) {
    /**
     * One entry: {@code platform} is {@code os/arch[/variant]}, or null when the entry names none;
     * {@code image} is false for what is no platform's image (an attestation manifest);
     * {@code selected} marks the entry read.
     */
    public record Row(String platform, Digest digest, long size, String mediaType, boolean image, boolean selected) {}

    public IndexListing {
        rows = List.copyOf(rows);
    }

    /** The listing of {@code index}, {@code chosen} (may have no entry) marked as selected. */
    public static IndexListing of(ImageIndex index, PlatformImage chosen) {
        List<Row> rows = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            rows.add(new Row(d.platform() == null ? null : PlatformChoice.format(d.platform()), d.digest(), d.size(),
                    d.mediaType(), PlatformImage.isImage(d), d.equals(chosen.entry())));
        }
        return new IndexListing(index.manifestDigest(), index.mediaType(), rows);
    }

    /** How many entries are a platform's image. */
    public long images() {
        return rows.stream().filter(Row::image).count();
    }
}
