package dev.distrolix.inspect;

import java.io.IOException;
import java.io.InputStream;

/** Opens a blob of an opened image by its location (a path in the image's files). */
@FunctionalInterface
public interface BlobOpener {
    InputStream open(String location) throws IOException;
}
