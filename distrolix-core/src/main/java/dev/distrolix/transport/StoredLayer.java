package dev.distrolix.transport;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer of an image read from a transport: a file among the image's files (a layout's blob, an
 * archive member, a registry blob). Nothing is read until a stream is opened.
 */
record StoredLayer(ImageFiles files, String path, String mediaType, Digest digest, long size, Digest diffId,
                   String label) implements Layer {
    @Override
    public InputStream openRaw() throws IOException {
        return files.open(path);
    }
}
