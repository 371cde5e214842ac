package dev.distrolix.registry;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.Platform;
import dev.distrolix.image.TestLayers;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small real images for push tests: a few gzip layers with text, one with incompressible bytes. */
final class TestImages {
    private TestImages() {}

    /** {@code layers} layers; the last holds {@code bigBytes} random bytes (seeded), so it takes a while to send. */
    static AssembledImage image(Path dir, String variant, int layers, int bigBytes) throws IOException {
        return image(dir, variant, layers, bigBytes, null);
    }

    /** The same image with one more layer on top holding {@code top} (an edit), or none for null. */
    static AssembledImage image(Path dir, String variant, int layers, int bigBytes, String top) throws IOException {
        List<LayerBlob> blobs = new ArrayList<>();
        for (int i = 0; i < layers - 1; i++) {
            blobs.add(TestLayers.gzipLayer(dir, variant + "-" + i, Map.of("layer" + i + "/hello.txt", "hello " + variant + " " + i + "\n")));
        }
        byte[] random = new byte[bigBytes];
        new Random(variant.hashCode()).nextBytes(random);
        // random bytes as text: incompressible enough, and a tar entry TestLayers can hold
        blobs.add(TestLayers.layer(dir, variant + "-big", Map.of("big/data.bin",
                new String(random, java.nio.charset.StandardCharsets.ISO_8859_1)), Compression.NONE));
        if (top != null) {
            blobs.add(TestLayers.gzipLayer(dir, variant + "-top-" + top.hashCode(), Map.of("top.txt", top)));
        }
        List<HistoryEntry> history = blobs.stream()
                .map(l -> HistoryEntry.layer(Instant.ofEpochSecond(1), "test " + variant, null)).toList();
        return ImageAssembler.assemble(Platform.linuxAmd64(),
                ContainerConfig.builder().entrypoint(List.of("/none")).label("variant", variant).build(),
                Instant.ofEpochSecond(1), blobs, history, Map.of());
    }
}
