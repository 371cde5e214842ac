package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry whose documents are not what their digests say, or of a type no image has: the image is bad input (exit
 * 3), said at once — the same bytes are not asked for again six times, as a failed connection is.
 */
class BentDocumentsTest {
    private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    private static final String SERVED_CONFIG = CONFIG.replace("amd64", "arm64"); // the same length, other bytes
    private HttpServer server;
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        Digest config = Digest.sha256(CONFIG.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":"
                + CONFIG.length() + "},\"layers\":[]}";
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.merge(exchange.getRequestMethod() + " " + path, 1, Integer::sum);
            byte[] body = new byte[0];
            String type = "application/vnd.oci.image.manifest.v1+json";
            if (path.equals("/v2/app/manifests/config")) {
                body = manifest.getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/v2/app/manifests/header")) {
                body = manifest.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(new byte[] {1}).toString());
            } else if (path.equals("/v2/app/manifests/type")) {
                type = "application/vnd.evil+json";
                body = manifest.replace("application/vnd.oci.image.manifest.v1+json", type).getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/v2/app/blobs/" + config)) {
                body = SERVED_CONFIG.getBytes(StandardCharsets.UTF_8);
                type = "application/octet-stream";
            } else if (!path.equals("/v2/")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String ref(String tag) {
        return "docker://127.0.0.1:" + server.getAddress().getPort() + "/app:" + tag;
    }

    @Test
    void aConfigWhoseBytesAreNotItsDigestsIsBadInputAskedForOnce() {
        assertThatThrownBy(() -> Transports.open(ref("config"), RegistrySettings.defaults()).close())
                .isInstanceOf(InputException.class)
                .hasMessageContaining("hashes to " + Digest.sha256(SERVED_CONFIG.getBytes(StandardCharsets.UTF_8)));
        assertThat(requests.entrySet()).filteredOn(e -> e.getKey().startsWith("GET /v2/app/blobs/"))
                .singleElement().extracting(Map.Entry::getValue).isEqualTo(1);
    }

    @Test
    void aManifestThatIsNotWhatItsHeaderSaysOrOfAnotherTypeIsBadInput() {
        assertThatThrownBy(() -> Transports.open(ref("header"), RegistrySettings.defaults()).close())
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(ref("header") + ": reading manifest header from 127.0.0.1:")
                .hasMessageContaining("/app: Docker-Content-Digest says " + Digest.sha256(new byte[] {1}));
        assertThatThrownBy(() -> Transports.open(ref("type"), RegistrySettings.defaults()).close())
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith("/app: unsupported manifest type 'application/vnd.evil+json' (OCI and Docker"
                        + " schema 2 manifests and indexes are supported)");
        assertThat(requests).containsEntry("GET /v2/app/manifests/header", 1)
                .containsEntry("GET /v2/app/manifests/type", 1);
    }
}
