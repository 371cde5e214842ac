package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Transient faults of a binary cache — a reset connection, a body cut short, 5xx, 429 — are retried like the
 * registry client's requests (a redirect to another server is followed), and a fault that does not pass ends the build with one line naming the store
 * path, the URL and the fault, exit 3, nothing written. The faults come from a small HTTP server of the test's
 * own, in front of the real signed cache's files, that answers each request for a file with the next fault
 * planned for it, then with the file.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubstituterFaultsTest {
    enum Fault { RESET, CUT_SHORT, HTTP_500, HTTP_503, HTTP_429, REDIRECT }

    SignedCache c;
    ServerSocket server;
    final Map<String, Deque<Fault>> plan = new ConcurrentHashMap<>();
    final Map<String, Fault> always = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        c = SignedCache.get();
        server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "faulty-cache");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    void stop() throws IOException {
        server.close();
    }

    void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread h = new Thread(() -> answer(s), "faulty-cache-request");
                h.setDaemon(true);
                h.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    void answer(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String line = in.readLine();
            while (true) {
                String h = in.readLine();
                if (h == null || h.isEmpty()) {
                    break;
                }
            }
            if (line == null) {
                return;
            }
            String name = line.split(" ")[1].replaceFirst("^/faulty/", "");
            requests.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            Deque<Fault> next = plan.get(name);
            Fault f = always.getOrDefault(name, next == null ? null : next.poll());
            OutputStream out = s.getOutputStream();
            Path file = c.caches.resolve("zstd").resolve(name);
            if (f == Fault.RESET) {
                s.setSoLinger(true, 0); // RST, no answer
                return;
            }
            if (f == Fault.HTTP_500 || f == Fault.HTTP_503 || f == Fault.HTTP_429) {
                String code = f.name().substring(5);
                out.write(("HTTP/1.1 " + code + " Fault\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (f == Fault.REDIRECT) { // not a fault: a cache may send its files from elsewhere
                out.write(("HTTP/1.1 302 Found\r\nLocation: " + c.url("zstd") + "/" + name
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (!Files.isRegularFile(file)) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            byte[] body = Files.readAllBytes(file);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, f == Fault.CUT_SHORT ? body.length / 2 : body.length);
            out.flush();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    String faultyUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/faulty";
    }

    /** The nginx example locked against the good cache, its lock then pointed at the faulty server. */
    Path lockedSpec(String name) throws IOException {
        Path spec = c.specCopy(name);
        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        Path lock = spec.resolveSibling("image.lock.json");
        Files.writeString(lock, Files.readString(lock).replace(c.url("zstd"), faultyUrl()));
        return spec;
    }

    String glibcNarinfo() throws IOException {
        try (var s = Files.list(c.caches.resolve("zstd"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".narinfo")).toList()) {
                // its own StorePath line: other narinfos name glibc among their References
                if (Files.readString(p).lines().anyMatch(l -> l.startsWith("StorePath: ") && l.endsWith("-glibc-2.36"))) {
                    return p.getFileName().toString();
                }
            }
        }
        throw new AssertionError("no glibc narinfo");
    }

    String urlField(String narinfo) throws IOException {
        return Files.readString(c.caches.resolve("zstd").resolve(narinfo)).lines().filter(l -> l.startsWith("URL: "))
                .findFirst().orElseThrow().substring(5);
    }

    @Test
    void transientFaultsAreRetriedAndTheImageIsTheSame() throws Exception {
        Path spec = lockedSpec("faults-pass");
        String info = glibcNarinfo();
        String nar = urlField(info);
        plan.put(info, new ArrayDeque<>(List.of(Fault.HTTP_429, Fault.RESET, Fault.REDIRECT)));
        plan.put(nar, new ArrayDeque<>(List.of(Fault.RESET, Fault.HTTP_503, Fault.CUT_SHORT, Fault.HTTP_500)));
        int before = requests.getOrDefault(nar, new AtomicInteger()).get();
        Cli r = Cli.run("build", spec.toString(), "--locked", "--no-cache", "-o", "oci:" + c.tmp.resolve("faults-pass-out"),
                "-q");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(c.localDigest);
        assertThat(plan.get(nar)).as("every planned fault was met").isEmpty();
        assertThat(plan.get(info)).isEmpty();
        assertThat(requests.get(nar).get() - before).as("four faults, then the NAR").isEqualTo(5);
    }

    @Test
    void aFaultThatDoesNotPassIsOneLineNamingPathAndUrl() throws Exception {
        Path spec = lockedSpec("faults-fail");
        String nar = urlField(glibcNarinfo());
        always.put(nar, Fault.HTTP_503);
        try {
            Path out = c.tmp.resolve("faults-fail-out");
            long t0 = System.nanoTime();
            Cli r = Cli.run("build", spec.toString(), "--locked", "--no-cache", "-o", "oci:" + out);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            assertThat(r.err().lines().filter(l -> l.startsWith("distrolix: "))).hasSize(1);
            assertThat(r.errLine()).contains("-glibc-2.36").contains(faultyUrl() + "/" + nar).contains("HTTP 503")
                    .contains("gave up after 6 attempts");
            assertThat(out).as("no target written").doesNotExist();
            assertThat(seconds).as("retries are bounded").isLessThan(30);
        } finally {
            always.remove(nar);
        }
    }
}
