package dev.distrolix.build;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;
import dev.distrolix.image.LayerStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Registry layers downloaded and checked ahead of the build's need, each saved to a temp file: the blob against its
 * digest and size, its tar against the config's diff_id, in one pass as it arrives ({@link LayerStream}). A fresh
 * runner starts them as soon as the registry's manifest is read, so that they go on while Nix evaluates the spec
 * (inflating nginx's layers is ~75 ms of CPU, which then waited for Nix to end); the build then only hashes its own
 * tar of a layer and compares it with the diff_id ({@link RegistryLayers#fetch}). Layers the build turns out not to
 * need are cancelled ({@link #keepOnly}); whatever is left is deleted when the build ends ({@link #close}).
 */
final class LayerPrefetch implements AutoCloseable {
    /** A layer's blob saved in {@code file}, its digest, size and diff_id checked; {@code tarSize}: its tar's bytes. */
    record Saved(Path file, long tarSize) {}

    private final Map<Digest, Download> downloads = new ConcurrentHashMap<>();
    private ThreadPoolExecutor pool;
    private boolean closed;
    /** How many images' builds say which blobs they want ({@link #keepOnly}) before the others are cancelled. */
    private int images = 1;
    private final Set<Digest> wanted = new java.util.HashSet<>();
    private int told;

    /** Starts downloading {@code layers} (largest first: the longest download starts first), those not yet started. */
    void startAll(List<Layer> layers) {
        List<Layer> bySize = new ArrayList<>(layers);
        bySize.sort(Comparator.comparingLong(Layer::size).reversed());
        bySize.forEach(this::start);
    }

    /** The download of {@code layer}, started now if it was not. */
    synchronized Download start(Layer layer) {
        Download d = downloads.get(layer.digest());
        if (d == null) {
            d = new Download(layer);
            downloads.put(layer.digest(), d);
            if (closed) {
                d.cancel(); // a build ending: nothing new starts
            } else {
                pool().execute(d.task);
            }
        }
        return d;
    }

    /** The build makes {@code n} images (one per platform), each of which says what it wants. */
    synchronized void expectImages(int n) {
        images = n;
    }

    /**
     * One image's build wants the blobs {@code wanted} of what was found; once every image has said, the downloads of
     * blobs none wants are cancelled.
     */
    synchronized void keepOnly(Set<Digest> wanted) {
        this.wanted.addAll(wanted);
        if (++told >= images) {
            downloads.forEach((digest, d) -> {
                if (!this.wanted.contains(digest)) {
                    d.cancel();
                }
            });
        }
    }

    private ThreadPoolExecutor pool() {
        if (pool == null) {
            // as many as LayerWriting fetches at once: a download's first bytes come a round trip after it is asked for
            pool = new ThreadPoolExecutor(LayerWriting.FETCHES, LayerWriting.FETCHES, 1, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "distrolix-prefetch");
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
        }
        return pool;
    }

    /** Cancels what still runs, waits for it to stop (up to 10 s), and deletes every saved blob. */
    @Override
    public void close() {
        ThreadPoolExecutor p;
        synchronized (this) {
            closed = true;
            p = pool;
        }
        downloads.values().forEach(Download::cancel);
        if (p != null) {
            p.shutdownNow();
            try {
                p.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        downloads.values().forEach(Download::delete);
    }

    /** One layer's download: run on the pool, awaited by the build. */
    static final class Download {
        private final Layer layer;
        private final FutureTask<Saved> task = new FutureTask<>(this::download);
        private volatile boolean cancelled;
        /** The temp file, once made: deleted by {@link #delete} (the build links or copies what it keeps). */
        private volatile Path file;

        private Download(Layer layer) {
            this.layer = layer;
        }

        private Saved download() throws IOException {
            file = dev.distrolix.TempFiles.createTempFile("layer", "");
            // the blob's stream (Layer.compressed) checks its digest and size at its end; the layer stream reads its
            // tar to the end, counting and hashing it (the diff_id), not hashing the blob again
            try (OutputStream out = Files.newOutputStream(file);
                 LayerStream tar = LayerStream.openDigestChecked(layer, new Copied(layer.compressed(), out), layer.label())) {
                tar.drain();
                return new Saved(file, tar.uncompressedSize());
            }
        }

        /** The saved blob, once downloaded and checked; what failed (the blob's fault, or the registry's) else. */
        Saved await() throws IOException {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (java.util.concurrent.CancellationException e) {
                throw new InterruptedIOException("the build ended");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) {
                    throw io;
                }
                if (c instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(c);
            }
        }

        boolean isCancelled() {
            return task.isCancelled();
        }

        void cancel() {
            cancelled = true;
            task.cancel(true);
        }

        private void delete() {
            Path f = file;
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // swept by a later run (its process gone)
                }
            }
        }

        /** The blob as it arrives, each byte read also written to the file it is saved in; stops once cancelled. */
        private final class Copied extends java.io.FilterInputStream {
            private final OutputStream copy;

            Copied(InputStream blob, OutputStream copy) {
                super(blob);
                this.copy = copy;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (cancelled) {
                    throw new InterruptedIOException("cancelled");
                }
                int n = in.read(b, off, len);
                if (n > 0) {
                    copy.write(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                return n <= 0 ? 0 : Math.max(read(new byte[(int) Math.min(n, 8192)]), 0); // every byte is saved
            }
        }
    }
}
