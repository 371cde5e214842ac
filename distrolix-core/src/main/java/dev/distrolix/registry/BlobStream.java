package dev.distrolix.registry;

import dev.distrolix.blob.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A blob uploaded while it is made, before its digest is known: the distribution API's streamed upload
 * ({@code POST} a session, one {@code PATCH} whose body is sent chunked as the bytes are written to
 * {@link #out()}, {@code PUT ?digest=} once they are all written). The registry checks the digest on
 * the final PUT, so a transfer that went wrong is refused there, never stored.
 *
 * <p>Nothing is kept: a failed stream cannot be sent again (the caller makes the bytes again — a layer is
 * reproducible). The writer waits while {@link #BUFFERED_CHUNKS} chunks are in flight, so memory is bounded
 * by them whatever the blob's size; a PATCH that fails makes the next write fail at once.
 */
public final class BlobStream implements AutoCloseable {
    static final int CHUNK = 256 * 1024;
    static final int BUFFERED_CHUNKS = 8;
    private static final byte[] END = new byte[0];
    /** Ends the body with an error, so that the HTTP client aborts the request instead of completing it. */
    private static final byte[] ABORT = new byte[0];

    private final Repository repo;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(BUFFERED_CHUNKS);
    private final AtomicBoolean bodyTaken = new AtomicBoolean();
    private final Thread sender;
    private final Out out = new Out();
    private volatile IOException failure;
    private volatile URI next;
    private volatile boolean stopped;

    private BlobStream(Repository repo, URI location) {
        this.repo = repo;
        this.sender = new Thread(() -> send(location), "distrolix-blob-stream");
        sender.setDaemon(true);
    }

    /** Opens an upload session in {@code repo} (this is when credentials are asked for) and starts the PATCH. */
    public static BlobStream open(Repository repo) throws IOException {
        Repository.UploadStart s = repo.client().settings().retry()
                .run(a -> repo.startUploadOnce(), repo.client().retryListener(null));
        if (s.mounted() || s.location() == null) {
            throw RegistryException.of(repo.client().registry(), repo.name(), "starting an upload",
                    "the registry answered a plain upload start as if it were a mount", null);
        }
        BlobStream b = new BlobStream(repo, s.location());
        b.sender.start();
        return b;
    }

    /** Where the blob's bytes go; closing it ends the body (it does not complete the upload: see {@link #finish}). */
    public OutputStream out() {
        return out;
    }

    /**
     * Ends the body, waits for the registry's answer to it, and completes the upload under {@code digest}
     * (the digest of every byte written).
     */
    public void finish(Digest digest) throws IOException {
        out.close();
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading blob " + digest);
        }
        if (failure != null) {
            throw failure;
        }
        BlobUploader.finish(repo, next, digest);
    }

    /**
     * Whether the upload itself failed (the registry refused or the connection broke), as opposed to the
     * writer: then making the bytes again and sending them another way can help.
     */
    public boolean broken() {
        return failure != null;
    }

    /** Stops the upload if it has not finished: its request is aborted (the registry drops the session). */
    @Override
    public void close() {
        stopped = true;
        queue.clear();
        queue.offer(ABORT);
        sender.interrupt();
    }

    /** The PATCH, on its own thread: its body is what {@link #out} is given. */
    private void send(URI location) {
        String what = "uploading a blob as it is made";
        try {
            HttpResponse<byte[]> r = repo.sendOnce(new Http.Call("PATCH", location,
                    Map.of("Content-Type", "application/octet-stream"), this::body, repo.timeout()), what);
            if (r.statusCode() != 202 && r.statusCode() != 204) {
                throw repo.client().failure(repo.name(), what, r, r.body(), repo.scopes());
            }
            next = r.headers().firstValue("Location").map(l -> repo.client().resolve(l)).orElse(location);
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(what + ": " + e.getMessage(), e);
        } finally {
            stopped = true;
            queue.clear(); // a writer waiting for room sees the failure
        }
    }

    /** The body, once: a second send (a redirect, a new token) cannot have the bytes again. */
    private HttpRequest.BodyPublisher body() {
        if (!bodyTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("the registry asked for a streamed blob's bytes twice");
        }
        return HttpRequest.BodyPublishers.ofInputStream(() -> new In());
    }

    /** Collects writes into chunks and hands them to the sender. */
    private final class Out extends OutputStream {
        private byte[] buf = new byte[CHUNK];
        private int n;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            while (len > 0) {
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
                if (n == buf.length) {
                    hand(buf);
                    buf = new byte[CHUNK];
                    n = 0;
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (n > 0) {
                hand(java.util.Arrays.copyOf(buf, n));
            }
            hand(END); // the sender may be done as soon as it has this: no check after it
        }

        private void hand(byte[] chunk) throws IOException {
            try {
                while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    check();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while uploading a blob");
            }
        }

        private void check() throws IOException {
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (stopped) {
                throw new IOException("the upload of the blob stopped");
            }
        }
    }

    /** What the HTTP client reads: the chunks, in order, until the end. */
    private final class In extends InputStream {
        private byte[] cur = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == cur.length) {
                if (ended) {
                    return -1;
                }
                try {
                    cur = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("blob upload stopped");
                }
                pos = 0;
                if (cur == ABORT) {
                    throw new IOException("blob upload stopped");
                }
                if (cur == END) {
                    ended = true;
                    return -1;
                }
            }
            int k = Math.min(len, cur.length - pos);
            System.arraycopy(cur, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
