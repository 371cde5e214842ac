package dev.distrolix.cli;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Docker API for the {@code docker} transport: no Docker engine runs on our machines, so when
 * none answers, podman serves the Docker API on Docker's default socket ({@code podman system
 * service}) — the closest daemon here. The real {@code docker} client then talks to it.
 */
final class DockerDaemon {
    static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static boolean ready;

    private DockerDaemon() {}

    static synchronized void ensure() throws IOException, InterruptedException {
        if (ready || answers()) {
            ready = true;
            return;
        }
        if (Files.exists(SOCKET)) {
            if (listening()) {
                throw new AssertionError(SOCKET + " exists, something listens, but no Docker API answers on it");
            }
            Files.delete(SOCKET); // left by a service that was killed: nobody listens
        }
        Process service = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + SOCKET)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.destroy();
            try {
                service.waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(SOCKET);
            } catch (IOException | InterruptedException ignored) {
                // a test machine's socket
            }
        }));
        for (int i = 0; i < 100 && !answers(); i++) {
            Thread.sleep(100);
        }
        if (!answers()) {
            throw new AssertionError("podman system service did not answer on " + SOCKET);
        }
        ready = true;
    }

    /** Whether a process accepts connections on the socket (a killed service leaves the file behind). */
    private static boolean listening() {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(SOCKET));
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static boolean answers() {
        return Fixtures.exec(new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")).code() == 0;
    }
}
