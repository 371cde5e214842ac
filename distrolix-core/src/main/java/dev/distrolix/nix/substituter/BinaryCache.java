package dev.distrolix.nix.substituter;

import dev.distrolix.InputException;
import dev.distrolix.nix.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One binary cache (substituter): {@code http(s)://…} or {@code file://…}. Reads narinfo files and
 * downloads NARs (still compressed) with connect, answer and stall timeouts; transient faults
 * (I/O errors, stalls, 408/429/5xx) are retried by {@link Retry}, then reported as an
 * {@link InputException} naming the store path and the URL.
 */
public final class BinaryCache {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "distrolix-substituter-watchdog");
        t.setDaemon(true);
        return t;
    });

    private static final ThreadGroup THREADS = dev.distrolix.HttpClients.group("distrolix-substituter-http");

    private final String url;
    private final URI base;
    private final boolean local;
    /** Clients per scheme, built on first use: an http:// cache never sets TLS up (0.1-0.3 s of a short run). */
    private volatile HttpClient plain;
    private volatile HttpClient tls;
    private final Retry retry;
    private final Duration stall;

    private BinaryCache(String url, boolean local, Retry retry, Duration stall) {
        this.url = url;
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.local = local;
        this.retry = Objects.requireNonNull(retry);
        this.stall = stall;
    }

    /** A cache at {@code url} (http, https or file), its requests retried by {@code retry}. */
    public static BinaryCache of(String url, Retry retry) {
        return of(url, retry, STALL_TIMEOUT);
    }

    public static BinaryCache of(String url, Retry retry, Duration stall) {
        String u = url.strip();
        while (u.endsWith("/") && u.length() > "file:///".length()) {
            u = u.substring(0, u.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new InputException("substituter '" + url + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new InputException("substituter '" + url + "': only http://, https:// and file:// binary caches"
                    + " are supported");
        }
        boolean local = scheme.equals("file");
        return new BinaryCache(u, local, retry, stall);
    }

    public String url() {
        return url;
    }

    /** The URL of {@code relative} in this cache. */
    public String urlOf(String relative) {
        return base.resolve(relative).toString();
    }

    /** The narinfo of {@code path}; empty when the cache does not have it (404, 403, 410, no file). */
    public Optional<NarInfo> narInfo(StorePath path) throws IOException {
        String where = urlOf(path.hashPart() + ".narinfo");
        byte[] body;
        try {
            body = retry.run(() -> get(where, path, null, NarInfo.MAX_BYTES, null));
        } catch (IOException e) {
            throw interruptedOr(e, path, where);
        }
        if (body == null) {
            return Optional.empty();
        }
        NarInfo info;
        try {
            info = NarInfo.parse(body);
        } catch (IllegalArgumentException e) {
            throw new InputException(path + ": bad narinfo " + where + ": " + e.getMessage(), e);
        }
        if (!info.storePath().equals(path)) {
            throw new InputException(path + ": narinfo " + where + " is for another path, " + info.storePath());
        }
        return Optional.of(info);
    }

    /**
     * Downloads {@code info}'s NAR (as the cache stores it, compressed) to {@code dest}, checking FileSize
     * and FileHash when the narinfo gives them.
     */
    public void download(NarInfo info, Path dest) throws IOException {
        String where = urlOf(info.url());
        StorePath path = info.storePath();
        Path part = dest.resolveSibling(dest.getFileName() + ".part");
        MessageDigest fileHash = sha256();
        fetchNar(info, part, fileHash);
        try {
            checkNar(info, Files.size(part), fileHash);
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (isInterruption(e)) {
                throw e;
            }
            throw new InputException(path + ": cannot keep the download of " + where + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a temporary file in the build's own spool folder
            }
        }
    }

    /**
     * The compressed NAR of {@code info} in memory, checked as {@link #download} checks it: for small NARs, where
     * a file each (created, written, read, deleted) cost the filesystem more than their bytes (a lock of 3,001
     * paths spent ~1.5 s of kernel time allocating inodes). The caller bounds how many it keeps.
     */
    public byte[] downloadToMemory(NarInfo info) throws IOException {
        MessageDigest fileHash = sha256();
        byte[] nar = fetchNar(info, null, fileHash);
        checkNar(info, nar.length, fileHash);
        return nar;
    }

    /** The NAR's GET, retried: into {@code file}, or returned where that is null. */
    private byte[] fetchNar(NarInfo info, Path file, MessageDigest fileHash) throws IOException {
        String where = urlOf(info.url());
        StorePath path = info.storePath();
        byte[] found;
        try {
            found = retry.run(() -> {
                fileHash.reset(); // each attempt hashes what it writes, as it writes it
                return get(where, path, file, info.fileSize() > 0 ? info.fileSize() : Long.MAX_VALUE, fileHash);
            });
        } catch (IOException e) {
            throw interruptedOr(e, path, where);
        }
        if (found == null) {
            throw new InputException(path + ": " + where + " is not there (the cache lists the path but lacks its NAR)");
        }
        return found;
    }

    /** The downloaded NAR's size and hash against its narinfo's FileSize and FileHash, where it states them. */
    private void checkNar(NarInfo info, long size, MessageDigest fileHash) {
        String where = urlOf(info.url());
        StorePath path = info.storePath();
        if (info.fileSize() > 0 && size != info.fileSize()) {
            throw new InputException(path + ": " + where + " has " + size + " bytes, but the narinfo says FileSize "
                    + info.fileSize() + " (truncated?)");
        }
        if (info.fileHash().isPresent()) {
            NarHash h = NarHash.ofBytes(fileHash.digest());
            if (!h.equals(info.fileHash().get())) {
                throw new InputException(path + ": " + where + " has hash " + h + ", but the narinfo says FileHash "
                        + info.fileHash().get());
            }
        }
    }

    /**
     * One GET: the body (into {@code file} if given, else returned), null when absent. Throws IOException
     * for what may pass (retried), InputException for answers that will not change.
     */
    private byte[] get(String where, StorePath path, Path file, long limit, MessageDigest md) throws IOException {
        if (local) {
            return getFile(where, path, file, limit, md);
        }
        HttpResponse<InputStream> r = send(URI.create(where));
        try (InputStream body = r.body()) {
            int s = r.statusCode();
            if (s == 404 || s == 403 || s == 410) {
                return null;
            }
            if (s == 408 || s == 429 || s >= 500) {
                throw new IOException("HTTP " + s);
            }
            if (s != 200) {
                throw new InputException(path + ": " + where + " answered HTTP " + s);
            }
            return copy(body, where, path, file, limit, md);
        }
    }

    /** A GET, redirects followed (at most 5, never from https:// to http://), each on its scheme's client. */
    private HttpResponse<InputStream> send(URI uri) throws IOException {
        for (int hops = 0; ; hops++) {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).GET().build();
            HttpResponse<InputStream> r;
            try {
                r = client(uri).send(req, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while fetching " + uri);
            }
            int s = r.statusCode();
            java.util.Optional<String> location = r.headers().firstValue("Location");
            if (!(s == 301 || s == 302 || s == 303 || s == 307 || s == 308) || location.isEmpty() || hops == 5) {
                return r;
            }
            r.body().close();
            URI next = uri.resolve(location.get());
            if ("https".equals(uri.getScheme()) && !"https".equals(next.getScheme())) {
                throw new InputException(uri + " redirects to " + next + ": from https:// to plain HTTP, not followed");
            }
            uri = next;
        }
    }

    private HttpClient client(URI uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        HttpClient c = secure ? tls : plain;
        if (c == null) {
            synchronized (this) {
                c = secure ? tls : plain;
                if (c == null) {
                    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER);
                    if (!secure) {
                        b.sslContext(dev.distrolix.NoTls.context()).sslParameters(new javax.net.ssl.SSLParameters());
                    }
                    c = dev.distrolix.HttpClients.build(b, THREADS); // its threads stopped at exit (else 0.3 s more)
                    if (secure) {
                        tls = c;
                    } else {
                        plain = c;
                    }
                }
            }
        }
        return c;
    }

    private byte[] getFile(String where, StorePath path, Path file, long limit, MessageDigest md) throws IOException {
        Path p = Path.of(URI.create(where));
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            // a pipe's open waits for a writer, a device never ends, a folder fails each retry alike: none is a cache's
            throw new InputException((path == null ? "" : path + ": ") + where
                    + ": not a regular file (a binary cache's narinfo and NAR files are files)");
        }
        try (InputStream in = Files.newInputStream(p)) {
            return copy(in, where, path, file, limit, md);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Copies with a stall watchdog (no byte for {@code stall} closes the stream) and a size limit. */
    private byte[] copy(InputStream in, String where, StorePath path, Path file, long limit, MessageDigest md)
            throws IOException {
        AtomicLong last = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledFuture<?> dog = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - last.get() > stall.toNanos() && stalled.compareAndSet(false, true)) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is how the reader is woken
                }
            }
        }, Math.max(1, stall.toMillis() / 4), Math.max(1, stall.toMillis() / 4), TimeUnit.MILLISECONDS);
        ByteArrayOutputStream mem = file == null ? new ByteArrayOutputStream() : null;
        try (OutputStream out = file == null ? mem : Files.newOutputStream(file)) {
            byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                last.set(System.nanoTime());
                total += n;
                if (total > limit) {
                    throw new InputException(path + ": " + where + " is larger than "
                            + (md == null ? limit + " bytes" : "its narinfo's FileSize " + limit));
                }
                out.write(buf, 0, n);
                if (md != null) {
                    md.update(buf, 0, n);
                }
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException("no data for " + stall.toSeconds() + " s (stalled)", e);
            }
            throw e;
        } finally {
            dog.cancel(false);
        }
        if (stalled.get()) {
            throw new IOException("no data for " + stall.toSeconds() + " s (stalled)");
        }
        return file == null ? mem.toByteArray() : new byte[0];
    }

    /**
     * An interruption (a sibling fetch failed, Ctrl-C) stays one, so that the failure that caused it is
     * reported; anything else, after the retries, is an input error naming the path and URL.
     */
    private static IOException interruptedOr(IOException e, StorePath path, String where) throws IOException {
        if (isInterruption(e)) {
            throw e;
        }
        // the JDK's client says nothing for a refused connection (a null message)
        String why = e.getMessage() != null ? e.getMessage()
                : e instanceof java.net.ConnectException ? "the connection was refused" : e.getClass().getSimpleName();
        throw new InputException(path + ": cannot fetch " + where + ": " + why, e);
    }

    private static boolean isInterruption(IOException e) {
        return e instanceof java.io.InterruptedIOException && !(e instanceof java.net.http.HttpTimeoutException)
                || e instanceof java.nio.channels.ClosedByInterruptException;
    }

    /** A NAR's or a file's SHA-256: OpenSSL's where bin/distrolix names distrolix's library (Digest.newSha256). */
    static MessageDigest sha256() {
        return dev.distrolix.blob.Digest.newSha256();
    }

    @Override
    public String toString() {
        return url;
    }
}
