package dev.distrolix.build;

import dev.distrolix.TempFiles;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;
import dev.distrolix.image.LayerStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Registry layers downloaded and checked ahead of the build's need, each saved to a temp file beside where it will be
 * kept (the layer cache's blobs folder): the blob against its digest and size, its tar against the config's diff_id,
 * in one pass as it arrives ({@link LayerStream}). A fresh runner starts them as soon as the registry's manifest is
 * read, so that they go on while Nix evaluates the spec instead of after it; the build then only hashes its own tar
 * of a layer and compares it with that diff_id ({@link RegistryLayers#fetch}). A download is of one (digest, diff_id,
 * size): a blob named twice with two diff_ids is downloaded and checked against each. Downloads no image of the build
 * wants are cancelled once each image has said ({@link #keepOnly}); a failed or cancelled one deletes its file, and
 * whatever is left is deleted when the build ends ({@link #close}).
 */
final class LayerPrefetch implements AutoCloseable {
    /** What a download is of: the layer descriptor's digest and size and the config's diff_id for it. */
    record Key(Digest digest, Digest diffId, long size) {
        static Key of(Layer layer) {
            return new Key(layer.digest(), layer.diffId(), layer.size());
        }
    }

    /** A layer's blob saved in {@code file}, its digest, size and diff_id checked; {@code tarSize}: its tar's bytes. */
    record Saved(Path file, long tarSize) {}

    /** Where the temp files are made; null: the temp folder. */
    private final Path dir;
    private final Map<Key, Download> downloads = new ConcurrentHashMap<>();
    private ThreadPoolExecutor pool;
    private boolean closed;
    /** How many images' builds say which blobs they want ({@link #keepOnly}) before the others are cancelled. */
    private int images = 1;
    private final Set<Key> wanted = new HashSet<>();
    private int told;

    /** Saving into {@code dir} (made on the first download; null: the temp folder). */
    LayerPrefetch(Path dir) {
        this.dir = dir;
    }

    /**
     * Layers worth starting before the build knows it wants them: what a small one costs is a round trip when it is
     * asked for, and the declared-files layer (a few kB, annotated with its key too) is one the build never takes.
     */
    static final long AHEAD_FROM = 64 * 1024;

    /**
     * Starts downloading those of {@code layers} of at least {@link #AHEAD_FROM} bytes, largest first (the longest
     * download starts first), those not yet started.
     */
    void startAll(List<Layer> layers) {
        List<Layer> bySize = new ArrayList<>(layers.stream().filter(l -> l.size() >= AHEAD_FROM).toList());
        bySize.sort(Comparator.comparingLong(Layer::size).reversed());
        bySize.forEach(this::start);
    }

    /** The download of {@code layer}, started now if it was not. */
    synchronized Download start(Layer layer) {
        Key key = Key.of(layer);
        Download d = downloads.get(key);
        if (d == null) {
            d = new Download(layer, dir);
            downloads.put(key, d);
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
     * One image's build wants the layers {@code wanted} of what was found (none: it takes nothing from registries);
     * once every image has said, the downloads none wants are cancelled.
     */
    synchronized void keepOnly(Set<Key> wanted) {
        this.wanted.addAll(wanted);
        if (++told >= images) {
            downloads.forEach((key, d) -> {
                if (!this.wanted.contains(key)) {
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

    /** Cancels what still runs, waits for it to stop (up to 10 s), and deletes every saved blob not taken. */
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
        private final Path dir;
        private final FutureTask<Saved> task = new FutureTask<>(this::download);
        private volatile boolean cancelled;
        /** The temp file, once made: deleted on failure, cancellation or {@link #delete} unless moved into place. */
        private volatile Path file;
        /** Where {@link #moveInto} put it, once it did. */
        private Path moved;

        private Download(Layer layer, Path dir) {
            this.layer = layer;
            this.dir = dir;
        }

        private Saved download() throws IOException {
            Path f = dir == null ? TempFiles.createTempFile("layer", "")
                    : TempFiles.createBeside(Files.createDirectories(dir).resolve(layer.digest().hex()));
            file = f;
            // the blob's stream (Layer.compressed) checks its digest and size at its end; the layer stream reads its
            // tar to the end, counting and hashing it (the diff_id), not hashing the blob again
            try (OutputStream out = Files.newOutputStream(f);
                 LayerStream tar = LayerStream.openDigestChecked(layer, new Copied(layer.compressed(), out), layer.label())) {
                tar.drain();
                return new Saved(f, tar.uncompressedSize());
            } catch (IOException | RuntimeException | Error e) {
                delete(); // a failed or cancelled download leaves nothing on disk
                throw e;
            }
        }

        /** The saved blob, once downloaded and checked; what failed (the blob's fault, or the registry's) else. */
        Saved await() throws IOException {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (CancellationException e) {
                throw new InterruptedIOException("the build ended");
            } catch (ExecutionException e) {
                throw dev.distrolix.Workers.rethrow(e.getCause());
            }
        }

        /**
         * The saved blob renamed to {@code target} (readable by all, as a made layer is), or where an earlier call put
         * it; call after {@link #await}.
         */
        synchronized Path moveInto(Path target) throws IOException {
            if (moved == null) {
                Path f = file;
                dev.distrolix.tar.LayerWriter.setReadable(f);
                Files.move(f, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = target;
            }
            return moved;
        }

        boolean isCancelled() {
            return task.isCancelled();
        }

        /** Stops the download (its file deleted), or deletes what it saved if it has ended; not once taken. */
        void cancel() {
            cancelled = true;
            task.cancel(true);
            synchronized (this) {
                if (moved == null && task.isDone()) {
                    delete();
                }
            }
        }

        private synchronized void delete() {
            Path f = file;
            if (f != null && moved == null) {
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
