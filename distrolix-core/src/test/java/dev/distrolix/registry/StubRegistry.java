package dev.distrolix.registry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 for misbehaving-registry tests: it answers {@code GET /v2/}
 * with 200 and hands every other request (head read, body not) to a handler that may hang, drip,
 * stop reading or stream without end. Closing it closes every connection.
 */
final class StubRegistry implements AutoCloseable {
    @FunctionalInterface
    interface Handler {
        void handle(String method, String path, Map<String, String> headers, InputStream in, OutputStream out)
                throws Exception;
    }

    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Handler handler;

    private StubRegistry(Handler handler) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.handler = handler;
        Thread t = new Thread(this::accept, "stub-registry");
        t.setDaemon(true);
        t.start();
    }

    static StubRegistry start(Handler handler) throws IOException {
        return new StubRegistry(handler);
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "stub-registry-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String line = line(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                String[] parts = line.split(" ");
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
                }
                if (parts[0].equals("GET") && parts[1].equals("/v2/")) {
                    respond(out, 200, Map.of("Content-Type", "application/json"), "{}".getBytes());
                    continue;
                }
                handler.handle(parts[0], parts[1], headers, in, out);
            }
        } catch (Exception closed) {
            // the client went away or the test ended
        }
    }

    static void respond(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    static void head(OutputStream out, int status, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads and throws away a request body of Content-Length bytes. */
    static void skipBody(Map<String, String> headers, InputStream in) throws IOException {
        long n = Long.parseLong(headers.getOrDefault("content-length", "0"));
        in.skipNBytes(n);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
