package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.AuditFixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * audit, sbom and why stream a JRE image of over 200 MB in a JVM capped at -Xmx128m: memory is
 * bounded by the number of files, never by their size. Peak RSS is measured with /usr/bin/time -v
 * and printed for the record.
 */
@IntegrationTest
class LargeImageStreamingTest {
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    record Run(int exit, String out, long maxRssKb, String err) {}

    static Run forked(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-v",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the exit code tells
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        t.join();
        String e = err.toString(StandardCharsets.UTF_8);
        Matcher m = MAX_RSS.matcher(e);
        assertThat(m.find()).as("time -v output: %s", e).isTrue();
        return new Run(rc, out, Long.parseLong(m.group(1)), e);
    }

    @Test
    void auditSbomAndWhyOfTheJreImageRunIn128MbOfHeap() throws Exception {
        String jre = AuditFixtures.jre();
        Run audit = forked("audit", jre, "--json", "--fail-on", "none");
        assertThat(audit.exit()).as(audit.err()).isZero();
        long bytes = new ObjectMapper().readTree(audit.out()).get("bytes").asLong();
        assertThat(bytes).isGreaterThan(200_000_000L);

        Run sbom = forked("sbom", jre, "--format", "cyclonedx");
        assertThat(sbom.exit()).as(sbom.err()).isZero();
        assertThat(sbom.err()).contains("graph: scanned, agrees with build-time graph");

        Run why = forked("why", jre, "zlib");
        assertThat(why.exit()).as(why.err()).isZero();

        System.out.printf("JRE image, %d bytes of files, -Xmx128m: max RSS audit %d MB, sbom %d MB, why %d MB%n",
                bytes, audit.maxRssKb() / 1024, sbom.maxRssKb() / 1024, why.maxRssKb() / 1024);
        // a JVM whose heap is capped at 128 MB: well under the image's size
        assertThat(audit.maxRssKb() * 1024).isLessThan(bytes);
        assertThat(sbom.maxRssKb() * 1024).isLessThan(bytes);
    }
}
