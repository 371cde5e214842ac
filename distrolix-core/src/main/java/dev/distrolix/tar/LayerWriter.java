package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import dev.distrolix.blob.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Writes one layer blob in a single streaming pass: entries → {@link ReproducibleTarWriter} →
 * SHA-256 of the tar (diff_id) → pinned compressor → SHA-256 and size of the blob → a temporary
 * file in the target directory. Memory use is a few fixed buffers, whatever the layer size.
 * gzip compresses the layer's 128 KiB blocks on a pool shared by all layers
 * ({@link ParallelGzipOutputStream}); the calling thread tars, hashes and writes the blocks in
 * order, and never runs on that pool. The bytes are the same whatever the number of cores.
 *
 * <p>On success the temporary file is renamed (atomically, replacing) to
 * {@code dir/<hex of the blob digest>} with mode 0644; the returned {@link LayerBlob#file()} is
 * that path. Replacing is safe because an existing file of that name has the same bytes. On
 * failure the temporary file is deleted and nothing named after a digest is created.
 */
public final class LayerWriter {
    /** The buffer before a compressed layer's file or upload (its header, trailer and small blocks). */
    private static final int SMALL_WRITES = 8 * 1024;

    private LayerWriter() {}

    /** Pushes a layer's entries, in tar order, into a sink. Called once per write, on the writing thread. */
    @FunctionalInterface
    public interface EntryProducer {
        void produce(EntrySink sink) throws IOException;

        /**
         * About how many bytes the layer holds (its store paths' NAR sizes), 0 if not known. Never part of the
         * bytes: layers written side by side start largest first, so that the longest one never starts last.
         */
        default long sizeHint() {
            return 0;
        }
    }

    /** Receives entries; throws IllegalArgumentException for an entry out of order or invalid. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(LayerEntry entry) throws IOException;
    }

    public static LayerBlob write(Path dir, Compression compression, EntryProducer producer) throws IOException {
        return write(dir, compression, producer, null);
    }

    /**
     * As {@link #write(Path, Compression, EntryProducer)}, the blob's bytes also copied to {@code copy} (closed at the
     * end) as they are written. A copy that fails is dropped, never the file: the caller learns of it from its
     * own stream.
     */
    public static LayerBlob write(Path dir, Compression compression, EntryProducer producer, OutputStream copy)
            throws IOException {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(producer, "producer");
        Path tmp = dev.distrolix.TempFiles.createBeside(dir.resolve("layer")); // .layer.tmp-PID-…: swept once PID is gone
        boolean done = false;
        try {
            LayerBlob written = write(copy == null ? Files.newOutputStream(tmp)
                    : new CopyingOutputStream(Files.newOutputStream(tmp), copy), compression, producer);
            Path target = dir.resolve(written.digest().hex());
            setReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return new LayerBlob(target, written.digest(), written.size(), written.diffId(), written.uncompressedSize(),
                    compression);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes one layer into {@code out} (closed at the end) instead of a file: the bytes are the same as
     * {@link #write(Path, Compression, EntryProducer)} writes. The result's {@link LayerBlob#file()} is null.
     */
    public static LayerBlob write(OutputStream out, Compression compression, EntryProducer producer) throws IOException {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(producer, "producer");
        // closing the writer finishes the compressor and closes the sink; this one is for failures before that
        // compressed: the compressor writes whole blocks, which pass the buffer by; it gathers the small writes
        try (OutputStream sink = new BufferedOutputStream(out, compression == Compression.NONE ? Compressors.CHUNK
                : SMALL_WRITES)) {
            HashingOutputStream blob = new HashingOutputStream(sink);
            HashingOutputStream tar = compression == Compression.NONE
                    ? blob : new HashingOutputStream(Compressors.open(compression, blob));
            try (ReproducibleTarWriter writer = new ReproducibleTarWriter(tar)) {
                producer.produce(entry -> {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("layer writing interrupted");
                    }
                    writer.write(entry);
                });
                writer.finish();
            }
            Digest digest = blob.digest();
            return new LayerBlob(null, digest, blob.count(), tar == blob ? digest : tar.digest(), tar.count(),
                    compression);
        }
    }

    /** Writes to a file and to a copy; the copy's failures are swallowed (it is dropped), the file's are not. */
    private static final class CopyingOutputStream extends java.io.FilterOutputStream {
        private OutputStream copy;

        CopyingOutputStream(OutputStream file, OutputStream copy) {
            super(file);
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (copy != null) {
                try {
                    copy.write(b, off, len);
                } catch (IOException dropped) {
                    copy = null;
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (copy != null) {
                    copy.close();
                }
            } catch (IOException dropped) {
                // the copy's owner sees its failure
            } finally {
                copy = null;
                super.close();
            }
        }
    }

    /** createTempFile makes 0600 files; a blob is public content, and other tools may copy it. */
    public static void setReadable(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    /** A tar's digest (a layer's diff_id) and size. */
    public record TarDigest(Digest digest, long size) {}

    /** The digest and size of the tar {@code producer} makes, written nowhere. */
    public static TarDigest tarDigest(EntryProducer producer) throws IOException {
        HashingOutputStream hashed = new HashingOutputStream(OutputStream.nullOutputStream());
        writeTar(hashed, producer);
        return new TarDigest(hashed.digest(), hashed.count());
    }

    /** Writes the tar only (no compression, no file), for callers that stream it elsewhere. */
    public static long writeTar(OutputStream out, EntryProducer producer) throws IOException {
        ReproducibleTarWriter writer = new ReproducibleTarWriter(out);
        producer.produce(writer::write);
        writer.finish();
        return writer.bytesWritten();
    }
}
