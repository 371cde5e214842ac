package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process that used the registry client exits promptly: without our exit hook the JVM waits
 * ~0.3 s for the client's selector thread (in native code) even on {@code System.exit}.
 */
class HttpExitTest {
    static long exitMillis(String url, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ExitTimeProbe.class.getName(), url, mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        long end = System.currentTimeMillis();
        assertThat(p.exitValue()).as(out).isZero();
        return end - Long.parseLong(out);
    }

    @Test
    void aProcessThatUsedTheClientExitsPromptly() throws Exception {
        try (StubRegistry s = StubRegistry.start((m, path, h, in, out) -> { })) {
            String url = "http://" + s.address() + "/v2/";
            List<Long> ours = new ArrayList<>();
            List<Long> jdk = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ours.add(exitMillis(url, "distrolix"));
                jdk.add(exitMillis(url, "jdk"));
            }
            System.out.println("exit after System.exit: distrolix " + ours + " ms, bare JDK client " + jdk + " ms");
            assertThat(Collections.min(ours)).as("fastest exit with our client, ms").isLessThan(200L);
        }
    }
}
