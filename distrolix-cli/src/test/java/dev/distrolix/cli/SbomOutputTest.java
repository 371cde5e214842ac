package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.Platform;
import dev.distrolix.image.TestLayers;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sbom -o FILE}: the file's mode, and images without store paths. No Nix needed: images made in memory. */
class SbomOutputTest {
    private static final String HELLO = "/nix/store/" + "b".repeat(32) + "-hello-2.12";

    @TempDir
    Path tmp;

    private String layout(String name, Map<String, String> files) throws Exception {
        LayerBlob layer = TestLayers.gzipLayer(Files.createDirectories(tmp.resolve("layers-" + name)), name, files);
        Instant t = Instant.ofEpochSecond(1);
        AssembledImage img = ImageAssembler.assemble(Platform.linuxAmd64(),
                ContainerConfig.builder().entrypoint(List.of("/bin/none")).build(), t, List.of(layer),
                List.of(HistoryEntry.layer(t, "test", null)), Map.of());
        String ref = "oci:" + tmp.resolve(name) + ":1";
        Transports.write(img, ImageReference.parse(ref).withDefaults(name, "1"), RegistrySettings.defaults());
        return ref;
    }

    private static String umask() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        String u = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();
        return u;
    }

    @Test
    void theDocumentGetsTheModeTouchGivesNot0600() throws Exception {
        String ref = layout("hello", Map.of(HELLO.substring(1) + "/share/hello.txt", "hello\n"));
        Path out = tmp.resolve("hello.cdx.json");
        Cli r = Cli.run("sbom", ref, "-o", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(out)).contains("\"bomFormat\"", "hello");
        Path touched = tmp.resolve("touched");
        assertThat(new ProcessBuilder("touch", touched.toString()).start().waitFor()).isZero();
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(touched));
        if (umask().endsWith("022")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
        }
        assertThat(r.err()).doesNotContain("warning");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".distrolix-sbom-"));
        }
    }

    @Test
    void anImageWithoutStorePathsIsAWarningOrWithTheOptionAnInputError() throws Exception {
        String ref = layout("plain", Map.of("etc/os-release", "ID=plain\n", "bin/app", "#!app\n"));
        Cli warned = Cli.run("sbom", ref);
        assertThat(warned.exitCode()).as(warned.err()).isZero();
        assertThat(warned.out()).contains("No /nix/store paths in this image.");
        assertThat(warned.err()).isEqualTo("distrolix: warning: " + ref
                + " has no /nix/store paths: the SBOM lists no components\n");

        Path out = tmp.resolve("plain.spdx.json");
        Cli failed = Cli.run("sbom", ref, "--format", "spdx", "-o", out.toString(), "--require-store-paths");
        assertThat(failed.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(failed.err()).isEqualTo("distrolix: " + ref
                + " has no /nix/store paths: the SBOM lists no components (--require-store-paths)\n");
        assertThat(out).doesNotExist();
    }
}
