package dev.distrolix.tar;

/**
 * Compresses one block of a {@link ParallelGzipOutputStream}: the raw deflate bytes of
 * {@code data[0..len)} at {@code level}, primed with the last 32 KiB of {@code dictionary} (none
 * when null), ending with a sync flush, or finished when {@code last}. Thread-safe: it runs on the
 * executor's threads.
 */
interface BlockDeflater {
    ParallelGzipOutputStream.Compressed compress(int level, byte[] dictionary, byte[] data, int len, boolean last);

    /**
     * Room for a block of {@code len} bytes deflated in one call: more than deflateBound(len) and a sync flush's
     * marker.
     */
    static int room(int len) {
        return len + (len >>> 3) + 64;
    }

    /**
     * Refuses, before a native deflater touches them, a block it could not take: more than a block's bytes, more
     * than {@code data} holds, or a dictionary shorter than 32 KiB.
     */
    static void checkBlock(byte[] dictionary, byte[] data, int len) {
        if (len < 0 || len > ParallelGzipOutputStream.BLOCK || len > data.length) {
            throw new IllegalArgumentException("a block of " + len + " bytes (at most "
                    + ParallelGzipOutputStream.BLOCK + " and " + data.length + ")");
        }
        if (dictionary != null && dictionary.length < ParallelGzipOutputStream.DICTIONARY) {
            throw new IllegalArgumentException("a dictionary of " + dictionary.length + " bytes, not "
                    + ParallelGzipOutputStream.DICTIONARY);
        }
    }
}
