package dev.distrolix.inspect;

import dev.distrolix.image.Image;
import dev.distrolix.image.LayerStream;
import dev.distrolix.blob.Compression;

import java.util.List;

/**
 * What one pass over a layer found: its sizes (blob and tar, as measured), how it is really
 * compressed, how many tar entries it has, the bytes of its regular files, and the store paths
 * it holds entries of (base names, sorted) — empty for a layer without /nix/store content.
 */
public record LayerSummary(LayerInfo info, long compressedSize, long uncompressedSize,
                           Compression compression, int entries, long fileBytes,
                           List<String> storePaths) {
    public LayerSummary {
        storePaths = List.copyOf(storePaths);
    }
}
