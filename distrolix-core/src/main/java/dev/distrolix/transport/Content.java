package dev.distrolix.transport;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;
import dev.distrolix.blob.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;

/**
 * The bytes of one file in an output, with its size known up front (a tar header needs it
 * before the data). Layer contents are verified while they stream: a layer file that changed
 * or vanished since it was built must fail the write, never produce an image whose digests lie.
 */
sealed interface Content permits Content.Bytes, Content.StoredBlob, Content.Uncompressed {
    long size();

    void writeTo(OutputStream out) throws IOException;

    /** Small JSON documents held in memory. */
    record Bytes(byte[] data) implements Content {
        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(data);
        }
    }

    /** A layer blob copied as stored; checked against its digest and size. */
    record StoredBlob(Layer layer) implements Content {
        @Override
        public long size() {
            return layer.size();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = open(layer)) {
                copyVerified(in, out, layer.size(), layer.digest(), layer.label());
            }
        }
    }

    /**
     * A layer decompressed on the fly (docker-archive's manifest.json wants uncompressed
     * layers); checked against the diff_id, so the tar we write is the one the config names.
     */
    record Uncompressed(Layer layer, long size) implements Content {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            String what = "uncompressed content of " + layer.label();
            try (InputStream raw = open(layer); InputStream in = decompressed(raw, what)) {
                copyVerified(in, out, size, layer.diffId(), what);
            }
        }

        private static InputStream decompressed(InputStream raw, String what) throws IOException {
            try {
                return Compression.sniff(raw).decompressed();
            } catch (IOException e) {
                throw sourceFault("cannot read " + what + ": " + OutputFiles.oneLine(e), e);
            }
        }
    }

    private static InputStream open(Layer layer) throws IOException {
        try {
            return layer.openRaw();
        } catch (NoSuchFileException e) {
            throw sourceFault(layer.label() + " is missing", e);
        } catch (ImageOutputException e) {
            throw e;
        } catch (dev.distrolix.DistrolixException e) {
            throw new ImageOutputException(e.getMessage(), e); // the layer, not the output folder, is at fault
        } catch (IOException e) {
            throw sourceFault("cannot read " + layer.label() + ": " + OutputFiles.oneLine(e), e);
        }
    }

    /**
     * Copies exactly {@code size} bytes while hashing. Never writes more than announced (the
     * tar header is already out) and fails if there are fewer, more, or other bytes.
     */
    private static void copyVerified(InputStream in, OutputStream out, long size, Digest expected, String what)
            throws IOException {
        MessageDigest md = Digest.newSha256();
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = read(in, buf, (int) Math.min(buf.length, left), what);
            if (n < 0) {
                throw sourceFault(what + " is " + (size - left) + " bytes, expected " + size
                        + " (changed since it was built?)", null);
            }
            md.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        if (read(in, buf, 1, what) >= 0) {
            throw sourceFault(what + " is larger than the expected " + size
                    + " bytes (changed since it was built?)", null);
        }
        Digest actual = Digest.ofSha256(md);
        if (!actual.equals(expected)) {
            throw sourceFault(what + " has digest " + actual + ", expected " + expected
                    + " (changed since it was built?)", null);
        }
    }

    /** Read errors are about the source, not the output folder: say so. */
    private static int read(InputStream in, byte[] buf, int len, String what) throws ImageOutputException {
        try {
            return in.read(buf, 0, len);
        } catch (IOException e) {
            throw sourceFault("cannot read " + what + ": " + OutputFiles.oneLine(e), e);
        }
    }

    /**
     * The image being written is at fault, not the output: still an {@link ImageOutputException}
     * (writers undo their partial output on it), with an {@link dev.distrolix.InputException} as
     * its cause, so that a copy — whose image is the user's input — reports it as an input error.
     */
    private static ImageOutputException sourceFault(String message, Throwable cause) {
        dev.distrolix.InputException input = new dev.distrolix.InputException(message, cause);
        return new ImageOutputException(message, input);
    }
}
