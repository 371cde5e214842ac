package dev.distrolix.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 proxy on 127.0.0.1 in front of a real registry, injecting faults: canned
 * answers (500, 429 with Retry-After), connection resets in the middle of a request body,
 * a throttled (slow) link, and redirects of blob GETs to another host name. It logs every
 * request ("METHOD path -> status") and whether it carried an Authorization header, and counts
 * connections that opened with a TLS handshake instead of a request (it speaks plain HTTP only).
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger tlsHellos = new AtomicInteger();
    private volatile long bytesPerSecond;
    private volatile String storageAuthorization;
    private static final String STORAGE_MARK = "__storage=1";

    /** A request as the proxy saw it. */
    public record Request(String method, String path, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to do with a matching request. */
    public sealed interface Fault {
        /** Answer without asking the registry. */
        record Respond(int status, Map<String, String> headers, String body) implements Fault {}

        /** Wait this long, then forward (a registry that is slow to answer). */
        record Delay(long millis) implements Fault {}

        /** Forward the head and this many body bytes, then reset both connections. */
        record ResetAfter(long bodyBytes) implements Fault {}

        /**
         * Answer 307 to the same path on {@code host} (another name of this proxy): a "storage
         * host". The proxy serves that request from the registry with the credentials of the
         * original request, as a presigned URL would work, and logs whether the client itself
         * sent an Authorization header there.
         */
        record RedirectTo(String host) implements Fault {}
    }

    private static final class Rule {
        final Predicate<Request> match;
        final Fault fault;
        final AtomicInteger left;

        Rule(Predicate<Request> match, Fault fault, int times) {
            this.match = match;
            this.fault = fault;
            this.left = new AtomicInteger(times);
        }
    }

    private FaultProxy(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
    }

    public static FaultProxy start(int upstreamPort) throws IOException {
        FaultProxy p = new FaultProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstreamPort);
        Thread t = new Thread(p::acceptLoop, "fault-proxy-accept");
        t.setDaemon(true);
        t.start();
        return p;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The next {@code times} requests matching {@code match} get {@code fault}. */
    public FaultProxy inject(Predicate<Request> match, Fault fault, int times) {
        rules.add(new Rule(match, fault, times));
        return this;
    }

    /** Throttles request and response bodies to about this rate; 0 for full speed. */
    public FaultProxy throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    public void clear() {
        rules.clear();
        throttle(0);
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    /** Connections whose first byte was a TLS handshake record (a client trying HTTPS here). */
    public int tlsHellos() {
        return tlsHellos.get();
    }

    public long count(String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        return log.stream().filter(l -> p.matcher(l).find()).count();
    }

    public static Predicate<Request> method(String method, String pathRegex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(pathRegex);
        return r -> r.method.equals(method) && p.matcher(r.path).find();
    }

    /** Requests whose body is larger than {@code bytes} (by Content-Length). */
    public static Predicate<Request> bodyOver(long bytes) {
        return r -> r.header("content-length") != null && Long.parseLong(r.header("content-length")) > bytes;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            in.mark(1);
            if (in.read() == 0x16) {
                tlsHellos.incrementAndGet();
            }
            in.reset();
            while (true) {
                Head head = readHead(in, true);
                if (head == null) {
                    return;
                }
                Request req = head.request();
                Fault fault = match(req);
                if (fault instanceof Fault.Respond r) {
                    copyBody(in, OutputStream.nullOutputStream(), head.headers, false, -1);
                    record(req, r.status() + " (injected)");
                    respond(out, r.status(), r.headers(), req.method().equals("HEAD") ? "" : r.body());
                    continue;
                }
                if (fault instanceof Fault.RedirectTo r) {
                    copyBody(in, OutputStream.nullOutputStream(), head.headers, false, -1);
                    storageAuthorization = req.header("authorization");
                    String mark = (req.path().contains("?") ? "&" : "?") + STORAGE_MARK;
                    record(req, "307 (injected)");
                    respond(out, 307, Map.of("Location", "http://" + r.host() + ":" + port() + req.path() + mark), "");
                    continue;
                }
                if (fault instanceof Fault.Delay d) {
                    try {
                        Thread.sleep(d.millis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (req.path().contains(STORAGE_MARK)) {
                    head = head.asStorageRequest(storageAuthorization);
                }
                if (upstream == null || upstream.isClosed()) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    open.add(upstream);
                }
                InputStream upIn = new BufferedInputStream(upstream.getInputStream());
                OutputStream upOut = upstream.getOutputStream();
                upOut.write(head.raw);
                long limit = fault instanceof Fault.ResetAfter r ? r.bodyBytes() : -1;
                boolean complete = copyBody(in, upOut, head.headers, false, limit);
                upOut.flush();
                if (!complete) {
                    record(req, "reset (injected)");
                    client.setSoLinger(true, 0);
                    upstream.setSoLinger(true, 0);
                    upstream.close();
                    return; // closing with linger 0 sends RST
                }
                Head resp = readHead(upIn, false);
                if (resp == null) {
                    return;
                }
                // logged before the client can see the answer, so a test that has its answer finds it logged
                record(req, String.valueOf(resp.status));
                out.write(resp.raw);
                boolean noBody = req.method.equals("HEAD") || resp.status == 204 || resp.status == 304;
                if (!noBody) {
                    copyBody(upIn, out, resp.headers, true, -1);
                }
                out.flush();
                if ("close".equalsIgnoreCase(resp.headers.get("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // a client or registry hung up: that connection is over
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private Fault match(Request req) {
        for (Rule r : rules) {
            if (r.match.test(req) && r.left.getAndDecrement() > 0) {
                return r.fault;
            }
        }
        return null;
    }

    private void record(Request req, String outcome) {
        log.add(req.method + " " + req.path + " -> " + outcome
                + (req.header("authorization") != null ? " [auth]" : ""));
    }

    private record Head(byte[] raw, String first, Map<String, String> headers, int status) {
        /** The same request without the storage mark, with the original request's credentials. */
        Head asStorageRequest(String authorization) {
            String line = first.replace("&" + STORAGE_MARK, "").replace("?" + STORAGE_MARK, "");
            StringBuilder sb = new StringBuilder(line).append("\r\n");
            headers.forEach((k, v) -> {
                if (!k.equals("authorization")) {
                    sb.append(k).append(": ").append(v).append("\r\n");
                }
            });
            if (authorization != null) {
                sb.append("authorization: ").append(authorization).append("\r\n");
            }
            sb.append("\r\n");
            return new Head(sb.toString().getBytes(StandardCharsets.ISO_8859_1), first, headers, status);
        }

        Request request() {
            String[] parts = first.split(" ");
            return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers);
        }
    }

    /** Reads a request or response head; null at a clean end of stream or on non-HTTP bytes (a TLS hello). */
    private static Head readHead(InputStream in, boolean request) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            raw.write(b);
            if (b == '\n') {
                String l = line.toString().replaceAll("\r$", "");
                if (l.isEmpty()) {
                    break;
                }
                lines.add(l);
                line.setLength(0);
            } else {
                line.append((char) b);
                if (line.length() > 16384 || (lines.isEmpty() && line.length() == 1 && (b < 'A' || b > 'Z'))) {
                    return null;
                }
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        int status = request ? 0 : Integer.parseInt(lines.get(0).split(" ")[1]);
        return new Head(raw.toByteArray(), lines.get(0), headers, status);
    }

    /**
     * Copies a body framed by Content-Length or chunked encoding (or, for a response, until
     * the end of the stream). With {@code limit} ≥ 0 stops after that many bytes: returns false.
     */
    private boolean copyBody(InputStream in, OutputStream out, Map<String, String> headers, boolean response,
                             long limit) throws IOException {
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            long sent = 0;
            while (true) {
                String sizeLine = readLine(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    while (!(trailer = readLine(in)).isEmpty()) {
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    return true;
                }
                if (limit >= 0 && sent + size > limit) {
                    copy(in, out, limit - sent);
                    return false;
                }
                copy(in, out, size);
                sent += size;
                readLine(in);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        String cl = headers.get("content-length");
        if (cl != null) {
            long n = Long.parseLong(cl.trim());
            if (limit >= 0 && limit < n) {
                copy(in, out, limit);
                return false;
            }
            copy(in, out, n);
            return true;
        }
        if (response) {
            copy(in, out, Long.MAX_VALUE);
        }
        return true;
    }

    private void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (n == Long.MAX_VALUE) {
                    return;
                }
                throw new SocketException("body ended early");
            }
            out.write(buf, 0, r);
            left -= r;
            long rate = bytesPerSecond;
            if (rate > 0) {
                out.flush();
                try {
                    Thread.sleep(Math.max(1, r * 1000L / rate));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("interrupted");
                }
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private static void respond(OutputStream out, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (b.length > 0 && !headers.containsKey("Content-Type")) {
            sb.append("Content-Type: application/json\r\n");
        }
        sb.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 307 -> "Temporary Redirect";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** A registry-style error body. */
    public static String errorBody(String code, String message) {
        return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}";
    }
}
