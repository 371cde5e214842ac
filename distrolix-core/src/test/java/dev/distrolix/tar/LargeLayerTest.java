package dev.distrolix.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ~310 MB layer streams through a JVM whose heap (32 MiB) is far smaller than the layer and
 * than its largest file, so nothing can be holding a layer or a file in memory.
 */
@IntegrationTest
class LargeLayerTest {
    @Test
    void largeLayerStreamsThroughASmallHeap(@TempDir Path tmp) throws Exception {
        Tools.require("zstd", "tar", "sha256sum");
        long big = 200L << 20;
        int small = 100;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Tools.Result r = Tools.ok(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LargeLayerMain.class.getName(), tmp.toString(), "zstd", Long.toString(big), Integer.toString(small));
        String[] f = r.out().trim().split(" ");
        long tarSize = Long.parseLong(f[2]);
        long peakHeap = Long.parseLong(f[3]);
        // headers: data/, big, 100 small files (data/small/ has no entry: the writer does not require parents); end blocks
        long expected = 512 + (512 + big) + small * (512 + (1L << 20)) + 1024;
        assertThat(tarSize).isEqualTo(expected);
        assertThat(peakHeap).isLessThan(32L << 20);
        String blob = tmp.resolve(f[1]).toString();
        assertThat(Tools.sha256Of("cat " + blob)).isEqualTo(f[1]);
        assertThat(Tools.sha256Of("zstd -dc " + blob)).isEqualTo(f[0]);
        assertThat(Tools.sh("zstd -dc " + blob + " | tar -tf - | wc -l").out().trim()).isEqualTo(Integer.toString(2 + small));
    }

    /**
     * The same for parallel gzip (~230 MB): the blocks in flight are bounded, so a writer faster
     * than the compression threads is held back instead of queueing the layer in memory.
     */
    @Test
    void largeGzipLayerStreamsThroughASmallHeap(@TempDir Path tmp) throws Exception {
        Tools.require("gzip", "tar", "sha256sum");
        long big = 200L << 20;
        int small = 30;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Tools.Result r = Tools.ok(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LargeLayerMain.class.getName(), tmp.toString(), "gzip", Long.toString(big), Integer.toString(small));
        String[] f = r.out().trim().split(" ");
        long tarSize = Long.parseLong(f[2]);
        assertThat(tarSize).isEqualTo(512 + (512 + big) + small * (512 + (1L << 20)) + 1024);
        assertThat(Long.parseLong(f[3])).isLessThan(32L << 20);
        String blob = tmp.resolve(f[1]).toString();
        assertThat(Tools.sha256Of("cat " + blob)).isEqualTo(f[1]);
        Tools.ok("gzip", "-t", blob);
        assertThat(Tools.sha256Of("gzip -dc " + blob)).isEqualTo(f[0]);
        if (Tools.available("pigz")) {
            assertThat(Tools.sha256Of("pigz -dc " + blob)).isEqualTo(f[0]);
        }
        assertThat(Tools.sh("gzip -dc " + blob + " | tar -tf - | wc -l").out().trim()).isEqualTo(Integer.toString(2 + small));
    }
}
