package dev.distrolix.build;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Layer;
import dev.distrolix.registry.BlobStream;
import dev.distrolix.registry.Repository;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.tar.LayerWriter;
import dev.distrolix.tar.ParallelLayerWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Layers made straight into the target registry's uploads, for a build with no layer cache whose image goes
 * to a registry: each layer is tarred and compressed into a streamed upload (its digest given at the end),
 * so no blob is written to disk; the push then finds every layer there. A layer whose upload fails is made
 * again into a file (its bytes are the same) and pushed with the image, after a notice.
 */
final class StreamedLayers {
    private StreamedLayers() {}

    /**
     * The repository layers stream to, connected on first use: a build whose layers are all in its cache never
     * connects for them.
     */
    static final class Target {
        private final dev.distrolix.registry.RegistryRef ref;
        private final dev.distrolix.registry.RegistrySettings settings;
        private Repository repo;

        Target(dev.distrolix.registry.RegistryRef ref, dev.distrolix.registry.RegistrySettings settings) {
            this.ref = ref;
            this.settings = settings;
        }

        synchronized Repository repository() throws IOException {
            if (repo == null) {
                repo = dev.distrolix.registry.RegistryClient.connect(ref.registry(), settings)
                        .repository(ref.repository(), true);
            }
            return repo;
        }
    }

    static List<LayerBlob> writeAll(Repository repo, Compression comp, List<LayerWriter.EntryProducer> producers,
                                    Path fallback, BuildListener events) throws IOException {
        return ParallelLayerWriter.writeAll(comp, producers, p -> one(repo, comp, p, fallback, events));
    }

    /**
     * With a layer cache: each layer is written to the cache's folder and, as it is written, into an upload to
     * {@code repo}; a failed upload is a note, and the file is pushed with the image instead.
     */
    static List<LayerBlob> writeAllAndCopy(Repository repo, Compression comp, List<LayerWriter.EntryProducer> producers,
                                           Path dir, BuildListener events) throws IOException {
        return ParallelLayerWriter.writeAll(comp, producers, p -> {
            BlobStream upload = null;
            try {
                upload = BlobStream.open(repo);
            } catch (IOException | dev.distrolix.registry.RegistryException e) {
                stopIfInterrupted(e);
                notice(events, repo, e, "pushed with the image");
            }
            try {
                LayerBlob b = LayerWriter.write(dir, comp, p, upload == null ? null : upload.out());
                if (upload != null) {
                    try {
                        upload.finish(b.digest());
                    } catch (IOException | dev.distrolix.registry.RegistryException e) {
                        stopIfInterrupted(e);
                        notice(events, repo, e, "pushed with the image");
                    }
                }
                return b;
            } finally {
                if (upload != null) {
                    upload.close();
                }
            }
        });
    }

    private static LayerBlob one(Repository repo, Compression comp, LayerWriter.EntryProducer producer, Path fallback,
                                 BuildListener events) throws IOException {
        BlobStream upload;
        try {
            upload = BlobStream.open(repo);
        } catch (IOException | dev.distrolix.registry.RegistryException e) {
            return onDisk(repo, comp, producer, fallback, events, e);
        }
        try (upload) {
            LayerBlob b;
            try {
                b = LayerWriter.write(upload.out(), comp, producer);
            } catch (IOException e) {
                if (!upload.broken()) {
                    throw e; // the layer's own failure (a store path that cannot be read): making it again cannot help
                }
                return onDisk(repo, comp, producer, fallback, events, e);
            }
            try {
                upload.finish(b.digest());
                return b;
            } catch (IOException | dev.distrolix.registry.RegistryException e) {
                return onDisk(repo, comp, producer, fallback, events, e);
            }
        }
    }

    /** The layer made again into a file (the same bytes), after a note on why its upload failed. */
    private static LayerBlob onDisk(Repository repo, Compression comp, LayerWriter.EntryProducer producer, Path fallback,
                                    BuildListener events, Exception why) throws IOException {
        stopIfInterrupted(why);
        notice(events, repo, why, "made on disk and pushed with the image");
        return LayerWriter.write(Files.createDirectories(fallback), comp, producer);
    }

    /** An interruption (the build is stopping) is passed on, never taken for a failed upload. */
    private static void stopIfInterrupted(Exception e) throws IOException {
        if (Thread.currentThread().isInterrupted() || e instanceof java.io.InterruptedIOException) {
            throw e instanceof IOException io ? io : new java.io.InterruptedIOException("interrupted");
        }
    }

    private static void notice(BuildListener events, Repository repo, Exception e, String instead) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        events.on(new BuildEvent.Notice("a layer could not be streamed to " + repo.client().registry() + " (" + m
                + "): " + instead));
    }

    /** The pushed layers of {@code blobs} (those with no file), as layers read back from {@code target}. */
    static java.util.Map<Digest, Layer> pushed(List<LayerBlob> blobs, Target target) throws IOException {
        java.util.Map<Digest, Layer> out = new java.util.HashMap<>();
        for (LayerBlob b : blobs) {
            if (b.file() == null) {
                out.put(b.digest(), new PushedLayer(b, target.repository()));
            }
        }
        return out;
    }

    /** A layer that went into the registry as it was made: read back from there (verified as any layer is). */
    record PushedLayer(LayerBlob blob, Repository repo) implements dev.distrolix.image.BlobLayer {

        @Override
        public InputStream openRaw() throws IOException {
            return repo.openBlob(blob.digest());
        }

        @Override
        public String label() {
            return "layer " + blob.digest().toString().substring(0, 19) + "… (in " + repo.client().registry() + "/"
                    + repo.name() + ")";
        }
    }
}
