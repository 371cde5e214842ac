package dev.distrolix.tar;

/**
 * Compresses one block of a {@link ParallelGzipOutputStream}: the raw deflate bytes of
 * {@code data[0..len)} at {@code level}, primed with the last 32 KiB of {@code dictionary} (none
 * when null), ending with a sync flush, or finished when {@code last}. Thread-safe: it runs on the
 * executor's threads.
 */
interface BlockDeflater {
    ParallelGzipOutputStream.Compressed compress(int level, byte[] dictionary, byte[] data, int len, boolean last);
}
