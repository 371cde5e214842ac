package dev.distrolix.transport;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageIndex;
import java.io.IOException;
import java.util.List;

/** An image index read from a transport; its images are read (and checked) when asked for. */
final class StoredIndex implements ImageIndex {
    private final LayoutReader reader;
    private final byte[] bytes;
    private final Digest digest;
    private final String mediaType;
    private final List<Descriptor> manifests;

    StoredIndex(LayoutReader reader, byte[] bytes, Digest digest, String mediaType, List<Descriptor> manifests) {
        this.reader = reader;
        this.bytes = bytes.clone();
        this.digest = digest;
        this.mediaType = mediaType;
        this.manifests = List.copyOf(manifests);
    }

    @Override
    public byte[] manifestBytes() {
        return bytes.clone();
    }

    @Override
    public Digest manifestDigest() {
        return digest;
    }

    @Override
    public String mediaType() {
        return mediaType;
    }

    @Override
    public List<Descriptor> manifests() {
        return manifests;
    }

    @Override
    public Image image(Descriptor entry) throws IOException {
        if (!manifests.contains(entry)) {
            throw new IllegalArgumentException("not an entry of this index: " + entry.digest());
        }
        return reader.image(entry);
    }
}
