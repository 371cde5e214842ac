package dev.distrolix.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A process that does one HTTP request and exits with {@code System.exit}, as the CLI does,
 * printing the wall-clock millis just before; {@link HttpExitTest} measures how long exit takes.
 * Args: URL, then "distrolix" (through {@link Http}, with its exit hook) or "jdk" (a bare client).
 */
public final class ExitTimeProbe {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int status;
        if (args[1].equals("distrolix")) {
            Http http = new Http(true, Duration.ofSeconds(5), "distrolix-exit-probe");
            status = http.send(Http.Call.of("GET", uri, Duration.ofSeconds(5)), null,
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } else {
            status = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        System.out.println(System.currentTimeMillis());
        System.out.flush();
        System.exit(status == 200 ? 0 : 1);
    }
}
