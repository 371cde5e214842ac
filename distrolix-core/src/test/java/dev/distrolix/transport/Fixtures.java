package dev.distrolix.transport;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.Platform;
import dev.distrolix.image.TestLayers;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A small, real two-layer image built from scratch (it has no binary, so it cannot run). */
final class Fixtures {
    static final Instant EPOCH_1 = Instant.ofEpochSecond(1);

    private Fixtures() {}

    static AssembledImage image(Path layerDir, String variant, Compression top) throws IOException {
        LayerBlob base = TestLayers.gzipLayer(layerDir, "base-" + variant,
                Map.of("etc/os-release", "ID=distrolix\n", "nix/store/abc-hello/share/hello.txt", "hello " + variant + "\n"));
        LayerBlob app = TestLayers.layer(layerDir, "app-" + variant,
                Map.of("app/greeting.txt", "hi from " + variant + "\n"), top);
        return image(List.of(base, app), variant);
    }

    static AssembledImage image(Path layerDir, String variant) throws IOException {
        return image(layerDir, variant, Compression.GZIP);
    }

    static AssembledImage image(List<LayerBlob> layers, String variant) {
        List<HistoryEntry> history = layers.stream()
                .map(l -> HistoryEntry.layer(EPOCH_1, "distrolix test layer " + variant, null)).toList();
        return ImageAssembler.assemble(Platform.linuxAmd64(),
                ContainerConfig.builder().entrypoint(List.of("/app/none")).env(List.of("PATH=/bin"))
                        .label("variant", variant).build(),
                EPOCH_1, layers, history, Map.of("org.opencontainers.image.title", "fixture " + variant));
    }

    /** Every file under {@code root} (relative path → sha256 hex), to compare whole trees. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                files.put(rel, Files.isDirectory(p) ? "dir" : sha256(p));
            }
        }
        return files;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String uniqueSuffix() {
        return Long.toHexString(System.nanoTime());
    }
}
