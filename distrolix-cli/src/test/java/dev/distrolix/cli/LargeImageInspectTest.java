package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inspecting the ≥ 200 MB jre image streams it: a fresh JVM limited to a 64 MB heap reads every
 * layer (digests verified, every file hashed) and lists the packages; a second one replays the records
 * the first kept and prints the same. Max RSS and wall time (of the first) are printed for the record
 * (GNU time).
 */
@IntegrationTest
class LargeImageInspectTest {
    @TempDir
    Path tmp;

    @Test
    void theJreImageIsInspectedWithA64MegabyteHeap() throws IOException, InterruptedException {
        Path spec = tmp.resolve("jre/image.yaml");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, "name: jre\npackages:\n  - jre\n");
        Path archive = tmp.resolve("jre.tar");
        InspectFixtures.build(spec, "oci-archive:" + archive);

        List<String> cmd = List.of("/usr/bin/time", "-v",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName(),
                "inspect", "oci-archive:" + archive, "--packages");
        // a cache of its own: no record of any layer yet, so this inspect reads (and records) every one
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr").toFile());
        pb.environment().put("DISTROLIX_CACHE_DIR", tmp.resolve("cache").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        String err = Files.readString(tmp.resolve("stderr"));
        assertThat(rc).as(err).isZero();
        assertThat(tmp.resolve("cache/layers/scans")).as("the layers' records").isNotEmptyDirectory();
        java.util.Map<String, Object> records = records(tmp.resolve("cache/layers/scans"));
        // again, from the records (each blob still read against its digest): the same output in the same heap
        Process again = pb.start();
        again.getOutputStream().close();
        String replayed = new String(again.getInputStream().readAllBytes());
        assertThat(again.waitFor()).as(Files.readString(tmp.resolve("stderr"))).isZero();
        assertThat(replayed).isEqualTo(out);
        // a layer read again would have its record written anew (a new file): every one is the same file
        assertThat(records(tmp.resolve("cache/layers/scans"))).isEqualTo(records);
        assertThat(out).containsPattern("(?m)^openjdk-jre-headless +17\\.0\\.21\\.1\\+2 +\\d+\\.\\d MB ");
        Matcher total = Pattern.compile("(\\d+) store paths, ([\\d.]+) MB of ([\\d.]+) MB").matcher(out);
        assertThat(total.find()).as(out).isTrue();
        assertThat(Double.parseDouble(total.group(3))).isGreaterThanOrEqualTo(200);
        assertThat(Integer.parseInt(total.group(1)))
                .isEqualTo(Fixtures.run("nix-store", "-qR", Fixtures.storePath("jre")).lines().count());
        Matcher rss = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(err);
        Matcher wall = Pattern.compile("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (\\S+)").matcher(err);
        assertThat(rss.find() && wall.find()).as(err).isTrue();
        System.out.printf("inspect of a %s MB image with -Xmx64m: max RSS %d MB, wall %s%n", total.group(3),
                Long.parseLong(rss.group(1)) / 1024, wall.group(1));
    }

    /** Each record file's inode and change time. */
    private static java.util.Map<String, Object> records(Path dir) throws IOException {
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                m.put(f.getFileName().toString(), List.of(Files.getAttribute(f, "unix:ino"),
                        Files.getAttribute(f, "unix:ctime").toString()));
            }
        }
        return m;
    }
}
