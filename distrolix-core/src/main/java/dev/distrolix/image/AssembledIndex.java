package dev.distrolix.image;

import dev.distrolix.blob.Digest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An OCI image index a multi-platform build makes: one entry per platform (with its platform), in
 * a fixed order (os, architecture, variant) whatever order the platforms were asked in, so the
 * index digest depends on the images alone.
 */
public record AssembledIndex(List<Image> images, byte[] manifestBytes, Digest manifestDigest,
                             List<Descriptor> manifests) implements ImageIndex {
    static final Comparator<Platform> ORDER = Comparator.comparing(Platform::os)
            .thenComparing(Platform::architecture)
            .thenComparing(p -> p.variant() == null ? "" : p.variant());

    public AssembledIndex {
        images = List.copyOf(images);
        manifestBytes = manifestBytes.clone();
        manifests = List.copyOf(manifests);
        Objects.requireNonNull(manifestDigest, "manifestDigest");
    }

    /** The index of {@code images}, one per platform. */
    public static AssembledIndex of(List<? extends Image> images) {
        List<Image> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing(Image::platform, ORDER));
        List<Descriptor> entries = new ArrayList<>();
        for (Image img : sorted) {
            Descriptor d = img.descriptor();
            Platform p = img.platform();
            if (entries.stream().anyMatch(e -> e.platform().equals(p))) {
                throw new IllegalArgumentException("two images for platform " + p);
            }
            entries.add(Descriptor.of(d.mediaType(), d.digest(), d.size()).withPlatform(p));
        }
        byte[] bytes = CanonicalJson.index(new IndexManifest(entries, null));
        return new AssembledIndex(sorted, bytes, Digest.sha256(bytes), entries);
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public String mediaType() {
        return MediaTypes.OCI_INDEX;
    }

    @Override
    public Image image(Descriptor entry) {
        return images.stream().filter(i -> i.manifestDigest().equals(entry.digest())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no image " + entry.digest() + " in this index"));
    }
}
