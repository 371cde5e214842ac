package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.blob.Digest;
import dev.distrolix.testing.IntegrationTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect --tree} of an image of 300,000 long names prints every entry as it goes, in a
 * JVM whose heap is far below what holding the listing as text would take (the old code built it
 * in one StringBuilder and died of OutOfMemoryError with a stack trace).
 */
@IntegrationTest
class TreeStreamingTest {
    static final int FILES = 300_000;

    @TempDir
    Path tmp;

    /** One uncompressed layer of FILES empty files with ~230-character paths. */
    static String layout(Path dir) throws Exception {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Path layer = dir.resolve("layer.tar");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        String longDir = "d".repeat(100);
        try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(layer), md);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int d = 0; d < 3; d++) {
                TarArchiveEntry e = new TarArchiveEntry(longDir + d + "/");
                e.setMode(040755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (int i = 0; i < FILES; i++) {
                TarArchiveEntry e = new TarArchiveEntry(longDir + (i % 3) + "/" + "f".repeat(120) + "-" + i);
                e.setMode(0100644);
                e.setSize(0);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
        }
        String diffId = "sha256:" + HexFormat.of().formatHex(md.digest());
        long size = Files.size(layer);
        Files.move(layer, blobs.resolve(diffId.substring(7)));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(diffId);
        byte[] configBytes = json.writeValueAsBytes(config);
        ObjectNode manifest = json.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", put(blobs, configBytes)).put("size", configBytes.length);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                .put("digest", diffId).put("size", size);
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", put(blobs, manifestBytes)).put("size", manifestBytes.length);
        Files.write(dir.resolve("index.json"), json.writeValueAsBytes(index));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return "oci:" + dir;
    }

    private static String put(Path blobs, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        Files.write(blobs.resolve(d.hex()), bytes);
        return d.toString();
    }

    /** Runs the CLI in its own JVM with the given heap; stdout goes to {@code out}. */
    static int run(String heap, Path out, Path err, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-cp", System.getProperty("java.class.path"), Distrolix.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        return p.waitFor();
    }

    @Test
    void treeOf300000LongNamesStreamsInASmallHeap() throws Exception {
        String ref = layout(tmp.resolve("img"));
        Path out = tmp.resolve("tree.txt");
        Path err = tmp.resolve("err.txt");
        int rc = run("-Xmx160m", out, err, "inspect", ref, "--tree");
        String errText = Files.readString(err);
        assertThat(errText).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(rc).as(errText).isZero();
        long lines = 0;
        String last = null;
        try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                lines++;
                last = line;
            }
        }
        assertThat(lines).isEqualTo(FILES + 3);
        assertThat(last).endsWith("/" + "f".repeat(120) + "-99998"); // path order: the last name of the last directory
        assertThat(Files.size(out)).isGreaterThan(70_000_000L); // more text than the heap could hold twice

        Path json = tmp.resolve("tree.json");
        rc = run("-Xmx160m", json, err, "inspect", ref, "--tree", "--json");
        assertThat(rc).as(Files.readString(err)).isZero();
        assertThat(Files.size(json)).isGreaterThan(Files.size(out));
    }
}
