package dev.distrolix.tar;

import dev.distrolix.blob.Compression;

import dev.distrolix.nix.LocalStoreSource;
import dev.distrolix.nix.StorePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: times writing one layer of the given store paths.
 * Usage: {@code ThroughputMain <dir> <gzip|zstd|none> <runs> <store path>...}; prints one line per run.
 */
public final class ThroughputMain {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Compression c = Compression.parse(args[1]);
        int runs = Integer.parseInt(args[2]);
        List<StorePath> paths = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            paths.add(StorePath.parse(args[i]));
        }
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            LayerBlob b = LayerWriter.write(dir, c, StoreLayerEntries.producer(paths, new LocalStoreSource()));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s run %d: %.3f s, tar %d B (%.1f MB/s), blob %d B, diff_id %s, digest %s%n", c, r, s,
                    b.uncompressedSize(), b.uncompressedSize() / s / 1e6, b.size(), b.diffId().hex(), b.digest().hex());
            Files.delete(b.file());
        }
    }
}
