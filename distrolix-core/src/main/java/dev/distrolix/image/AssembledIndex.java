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
    // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
    static final Comparator<Platform> ORDER = (a, b) -> {
        int c = a.os().compareTo(b.os());
        if (c == 0) {
            c = a.architecture().compareTo(b.architecture());
        }
        return c != 0 ? c : (a.variant() == null ? "" : a.variant()).compareTo(b.variant() == null ? "" : b.variant());
    };

    public AssembledIndex {
        images = List.copyOf(images);
        manifestBytes = manifestBytes.clone();
        manifests = List.copyOf(manifests);
        Objects.requireNonNull(manifestDigest, "manifestDigest");
    }

    /** The index of {@code images}, one per platform. */
    public static AssembledIndex of(List<? extends Image> images) {
        List<Image> sorted = new ArrayList<>(images);
        sorted.sort((a, b) -> ORDER.compare(a.platform(), b.platform()));
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
