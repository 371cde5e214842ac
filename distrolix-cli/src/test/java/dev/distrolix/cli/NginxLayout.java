package dev.distrolix.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The nginx example built once per test JVM into an OCI layout, for tests that copy or push it. */
final class NginxLayout {
    private static Path dir;

    private NginxLayout() {}

    /** {@code oci:DIR:1}. */
    static synchronized String reference() throws IOException {
        if (dir == null) {
            Path d = Files.createTempDirectory("distrolix-nginx-layout-");
            NginxImageTest.build(NginxImageTest.EXAMPLE, "oci:" + d + ":1", "-q");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(d)));
            dir = d;
        }
        return "oci:" + dir + ":1";
    }

    static synchronized Path dir() throws IOException {
        reference();
        return dir;
    }

    private static void deleteQuietly(Path d) {
        try (var s = Files.walk(d)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder
        }
    }
}
