package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Run by {@link LargeLayerTest} in a JVM with a small heap: writes a layer of generated content
 * (one big file plus many 1 MiB files) and prints "diffId digest tarSize peakHeapBytes".
 */
public final class LargeLayerMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Compression c = Compression.parse(args[1]);
        long bigFile = Long.parseLong(args[2]);
        int smallFiles = Integer.parseInt(args[3]);
        LayerBlob b = LayerWriter.write(dir, c, sink -> {
            sink.accept(Tools.dir("data"));
            sink.accept(new LayerEntry.RegularFile("data/big", 0444, LayerEntry.Ownership.ROOT, 1, bigFile,
                    () -> new ParallelLayerWriterTest.GeneratedContent(1, bigFile)));
            for (int i = 0; i < smallFiles; i++) {
                long seed = i + 2;
                sink.accept(new LayerEntry.RegularFile(String.format("data/small/%05d", i), 0444,
                        LayerEntry.Ownership.ROOT, 1, 1 << 20, () -> new ParallelLayerWriterTest.GeneratedContent(seed, 1 << 20)));
            }
        });
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(b.diffId().hex() + " " + b.digest().hex() + " " + b.uncompressedSize() + " " + peak);
    }
}
