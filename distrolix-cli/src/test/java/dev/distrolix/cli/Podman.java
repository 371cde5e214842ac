package dev.distrolix.cli;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The real podman (runc), as the tests drive it. */
final class Podman {
    private Podman() {}

    static String podman(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "podman";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Fixtures.run(cmd).strip();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts IMAGE detached with container port 80 published on 127.0.0.1:port; returns the container name. */
    static String runNginx(String name, String image, int port) {
        podman("rm", "-f", "--ignore", name);
        podman("run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":80", image);
        return name;
    }

    /** GETs the URL until it answers (nginx needs a moment), up to ~10 s. */
    static HttpResponse<String> getWhenUp(String url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no answer from " + url + ": " + last);
    }

    static void removeQuietly(String container) {
        try {
            podman("rm", "-f", "--ignore", container);
        } catch (AssertionError ignored) {
            // best effort in cleanup
        }
    }
}
