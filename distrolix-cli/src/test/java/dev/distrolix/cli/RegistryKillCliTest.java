package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push killed with SIGKILL in the middle (a separate JVM, pushing through a slow proxy), then
 * run again: it completes, and sends only the blobs that had not arrived.
 */
@IntegrationTest
class RegistryKillCliTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledPushRunAgainCompletesAndUploadsOnlyWhatIsMissing() throws Exception {
        String layout = NginxLayout.reference();
        Map<String, String> env = Map.of("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        try (RegistryServer registry = RegistryServer.in(tmp.resolve("registry")).start();
             FaultProxy proxy = FaultProxy.start(registry.port()).throttle(400_000)) {
            String dest = "docker://" + proxy.address() + "/killed:1";
            Process p = CliProcess.start(env, tmp, tmp.resolve("first.log"), "copy", layout, dest);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (registry.blobUploads("killed") < 2 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(p.isAlive()).as("still pushing after 2 blobs: %s", Files.readString(tmp.resolve("first.log"))).isTrue();
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            assertThat(p.waitFor()).isEqualTo(137);
            long beforeKill = registry.blobUploads("killed");
            assertThat(beforeKill).isBetween(2L, 7L);
            assertThat(RealToolsCheck.skopeoInspectFails(registry.address() + "/killed:1")).contains("manifest unknown");

            proxy.throttle(0);
            Cli again = CliProcess.run(env, tmp, "copy", layout, dest, "--json");
            assertThat(again.exitCode()).as(again.err()).isZero();
            JsonNode push = new ObjectMapper().readTree(again.out()).get("push");
            long uploaded = push.get("uploaded").asLong();
            assertThat(push.get("exists").asLong()).isGreaterThanOrEqualTo(beforeKill);
            assertThat(uploaded + push.get("exists").asLong()).isEqualTo(8);
            // every blob went up exactly once over both runs
            assertThat(registry.blobUploads("killed")).isEqualTo(8);
            RealToolsCheck.skopeoCopyVerifies(registry.address() + "/killed:1", tmp.resolve("check"));
        }
    }
}
