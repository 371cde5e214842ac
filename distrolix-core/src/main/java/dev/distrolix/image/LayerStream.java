package dev.distrolix.image;

import dev.distrolix.InputException;
import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The uncompressed tar of one layer, checked while it is read: the blob's bytes are hashed and
 * counted below the decompressor, the tar's bytes above it, and at the end of the stream both are
 * compared with the manifest (digest, size) and the config (diff_id). A mismatch, a truncated or a
 * corrupt blob is an {@link InputException} naming the layer. One pass, constant memory.
 */
public final class LayerStream extends InputStream {
    /**
     * What a layer of unknown uncompressed size may unpack to: 1 GiB, plus 256 times the blob's bytes read so far.
     * Real content compresses 2–20×; only long runs of one byte approach deflate's limit (~1,032×) or beyond it in
     * zstd, and a 4 MB gzip of 4 GiB of zeros had an audit reading for minutes. The bound keeps the work a read costs
     * proportional to the bytes fetched. A layer whose size is known (one we built) is held to that size.
     */
    public static final long FREE_UNPACKED = 1L << 30;
    /** {@link #FREE_UNPACKED}, smaller in tests. */
    static long freeUnpacked = FREE_UNPACKED;
    /**
     * 256, or what the system property {@code distrolix.unpackRatio} or the environment's {@code DISTROLIX_UNPACK_RATIO}
     * says (a whole number from 1 to 1,000,000) for an image that holds a large file of zeros (a preallocated disk).
     */
    private static final String RATIO_TEXT = System.getProperty("distrolix.unpackRatio",
            System.getenv().getOrDefault("DISTROLIX_UNPACK_RATIO", "256"));
    private static final int RATIO = ratio(RATIO_TEXT);

    /** The ratio in use; an InputException (exit 3, one line) when the setting is not a whole number from 1 to 1,000,000. */
    public static int maxExpansion() {
        if (RATIO < 0) {
            throw new InputException("DISTROLIX_UNPACK_RATIO (or distrolix.unpackRatio) '"
                    + dev.distrolix.Printable.shown(RATIO_TEXT, 40)
                    + "' is not a whole number from 1 to 1000000");
        }
        return RATIO;
    }

    static int ratio(String text) {
        try {
            int r = Integer.parseInt(text.strip());
            return r >= 1 && r <= 1_000_000 ? r : -1;
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private final Layer layer;
    /** The layer's tar size where it is known (ours), else -1: read once, not at every read. */
    private final long knownSize;
    private final String label;
    private final Counting raw;
    private final InputStream buffered;
    private final InputStream tar;
    private final Compression compression;
    private final MessageDigest diffMd = Digest.newSha256();
    private long uncompressed;
    private boolean finished;

    private LayerStream(Layer layer, String label, Counting raw, InputStream buffered, InputStream tar,
                        Compression c) {
        this.layer = layer;
        this.knownSize = layer.uncompressedSize();
        this.label = label;
        this.raw = raw;
        this.buffered = buffered;
        this.tar = tar;
        this.compression = c;
    }

    /** Opens {@code blob} (the layer's raw bytes) as its uncompressed tar; {@code label} names it in errors. */
    public static LayerStream open(Layer layer, InputStream blob, String label) throws IOException {
        return open(layer, new Counting(blob, true), label);
    }

    /**
     * {@link #open} of a blob whose stream checks the layer's digest itself at its end (a registry's): its bytes
     * are counted, not hashed a second time; the size and the diff_id are checked here.
     */
    public static LayerStream openDigestChecked(Layer layer, InputStream blob, String label) throws IOException {
        return open(layer, new Counting(blob, false), label);
    }

    private static LayerStream open(Layer layer, Counting raw, String label) throws IOException {
        try {
            Compression.Detected d = Compression.sniff(raw);
            return new LayerStream(layer, label, raw, d.blob(), d.decompressed(), d.compression());
        } catch (IOException e) {
            raw.close();
            throw corrupt(label, e);
        }
    }

    /**
     * Reads a layer's blob to its end, without decompressing it, and checks it against the layer's size and digest
     * in the words a read of its tar uses at its end: for a layer whose content is known already (a record of the
     * blob with that digest), that this blob is it. False, having read nothing, where the layer's digest is its
     * diff_id (an archive's layer, named by its tar): only reading the tar checks that.
     */
    public static boolean verifyBlob(Layer layer) throws IOException {
        if (layer.digest().equals(layer.diffId())) {
            return false;
        }
        try (Counting raw = new Counting(layer.openRaw(), true)) {
            try {
                raw.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw corrupt(layer.label(), e); // as a read of the tar reports a blob that breaks off (a registry's)
            }
            checkBlob(layer, layer.label(), raw.count, Digest.ofSha256(raw.md));
        }
        return true;
    }

    private static void checkBlob(Layer layer, String label, long size, Digest blobDigest) {
        if (layer.size() >= 0 && size != layer.size()) {
            throw new InputException(label + ": blob is " + size + " bytes, the manifest says " + layer.size());
        }
        if (blobDigest != null && !blobDigest.equals(layer.digest())) {
            throw new InputException(label + ": blob digest mismatch: its content is " + blobDigest);
        }
    }

    public Layer layer() {
        return layer;
    }

    public Compression compression() {
        return compression;
    }

    /** Bytes of the blob read so far (all of it once the stream has ended). */
    public long compressedSize() {
        return raw.count;
    }

    /** Bytes of the tar read so far (the layer's uncompressed size once the stream has ended). */
    public long uncompressedSize() {
        return uncompressed;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        int n;
        try {
            n = tar.read(b, off, len);
        } catch (IOException e) {
            throw corrupt(label, e);
        } catch (InputException e) {
            throw labelled(e); // the blob's own check (a registry's: other bytes than its digest's)
        }
        if (n < 0) {
            finish();
            return -1;
        }
        diffMd.update(b, off, n);
        uncompressed += n;
        if (uncompressed > unpackLimit()) {
            throw tooLarge();
        }
        return n;
    }

    /**
     * What an image's layers may unpack to together, read one after another: {@link #FREE_UNPACKED}, plus for each
     * distinct blob its known tar size or {@link #maxExpansion()} times its bytes. A blob named twice adds once, so
     * an image repeating one bomb layer 1,000 times cannot ask 1,000 times its work.
     */
    public static long imageAllowance(java.util.List<? extends Layer> layers) {
        long total = freeUnpacked;
        java.util.Set<Digest> seen = new java.util.HashSet<>();
        for (Layer l : layers) {
            if (seen.add(l.digest())) {
                long add = allowance(l.uncompressedSize(), Math.max(l.size(), 0));
                total = total > Long.MAX_VALUE - add ? Long.MAX_VALUE : total + add;
            }
        }
        return total;
    }

    /** What one layer adds: its tar size where known, else {@link #maxExpansion()} times its blob's bytes (saturating). */
    private static long allowance(long knownSize, long blobBytes) {
        return knownSize >= 0 ? knownSize
                : blobBytes > Long.MAX_VALUE / maxExpansion() ? Long.MAX_VALUE : maxExpansion() * blobBytes;
    }

    private long unpackLimit() {
        long own = allowance(knownSize, raw.count);
        return knownSize >= 0 || own > Long.MAX_VALUE - freeUnpacked ? own : freeUnpacked + own;
    }

    private InputException tooLarge() {
        return new InputException(knownSize >= 0
                ? label + ": its tar goes on past the " + knownSize + " bytes it was recorded as"
                : label + ": unpacks to more than " + uncompressed / (1 << 20) + " MiB from " + raw.count + " bytes of"
                        + " blob (a layer may unpack to 1 GiB + " + maxExpansion() + " times its blob; DISTROLIX_UNPACK_RATIO"
                        + " allows more): refused as a decompression bomb");
    }

    /** Reads what is left (e.g. the padding after a tar's end marker) so the checks cover it all. */
    public void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing happens in read
        }
    }

    private void finish() throws IOException {
        finished = true;
        try {
            buffered.transferTo(java.io.OutputStream.nullOutputStream()); // bytes after the compressed stream
        } catch (IOException e) {
            throw corrupt(label, e);
        } catch (InputException e) {
            throw labelled(e);
        }
        Digest blobDigest = raw.md == null ? null : Digest.ofSha256(raw.md);
        Digest diffId = Digest.ofSha256(diffMd);
        boolean digestIsFromManifest = compression == Compression.NONE || !layer.digest().equals(layer.diffId());
        if (digestIsFromManifest) {
            checkBlob(layer, label, raw.count, blobDigest);
        }
        if (layer.diffId() != null && !diffId.equals(layer.diffId())) {
            throw new InputException(label + ": diff_id mismatch: the config says " + layer.diffId()
                    + ", the uncompressed content is " + diffId);
        }
    }

    private InputException labelled(InputException e) {
        return e.getMessage() != null && e.getMessage().startsWith(label) ? e
                : new InputException(label + ": " + e.getMessage(), e);
    }

    static InputException corrupt(String label, IOException e) {
        String m = e instanceof java.io.EOFException || e.getMessage() == null ? "the data ends too early"
                : e.getMessage();
        return new InputException(label + ": truncated or corrupt blob (" + m.lines().findFirst().orElse(m) + ")", e);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    /** Counts and hashes the bytes that pass. */
    private static final class Counting extends FilterInputStream {
        /** Null where the blob's stream checks its digest itself. */
        final MessageDigest md;
        long count;

        Counting(InputStream in, boolean hash) {
            super(in);
            md = hash ? Digest.newSha256() : null;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                if (md != null) {
                    md.update((byte) b);
                }
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                if (md != null) {
                    md.update(b, off, n);
                }
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // never skip: every byte must be hashed
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }
}
