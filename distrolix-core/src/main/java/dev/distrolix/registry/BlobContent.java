package dev.distrolix.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The bytes of a blob to push. Every call to {@link #open(long)} is a fresh stream from that
 * offset, because a retried or chunked upload reads them again.
 */
@FunctionalInterface
public interface BlobContent {
    InputStream open(long offset) throws IOException;

    static BlobContent of(Path file) {
        Objects.requireNonNull(file, "file");
        return offset -> {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        };
    }

    static BlobContent of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return offset -> new ByteArrayInputStream(copy, (int) offset, copy.length - (int) offset);
    }
}
