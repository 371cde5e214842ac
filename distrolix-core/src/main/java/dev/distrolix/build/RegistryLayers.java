package dev.distrolix.build;

import dev.distrolix.Background;
import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.DistrolixException;
import dev.distrolix.blob.Compression;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.Layer;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The registry as a layer cache: the layers of images already in registries (the target tag's previous
 * image, {@code --cache-from} images), by the cache key distrolix annotates each layer descriptor with
 * ({@link ImageAssembler#LAYER_KEY_ANNOTATION}). A build whose layer cache lacks a key fetches that layer
 * instead of making it, and trusts neither the annotation nor the registry: the layer is used only if its tar
 * is, byte for byte, the tar this build makes of the same store paths (the writer is reproducible to the bit),
 * and its blob is checked against its digest and size and its tar against the config's diff_id in the same
 * pass ({@link #fetch}). A key is computed from public names, so
 * anyone who can push an image named by {@code --cache-from}, or to the target, could annotate other files with
 * it. Reading is best effort: an image that is not there, or cannot be read, only means the layers are made.
 */
public final class RegistryLayers {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    /** A layer found in a registry, and where (for messages). */
    record Found(Layer layer, String where) {}

    private final Map<String, Found> byKey;

    private RegistryLayers(Map<String, Found> byKey) {
        this.byKey = byKey;
    }

    /** None: every layer is made (or found in the local cache). */
    public static RegistryLayers none() {
        return new RegistryLayers(Map.of());
    }

    /**
     * The annotated layers of {@code refs}; a ref that cannot be read is said to {@code notice} when {@code
     * quietIfAbsent} does not name it (the target's own tag is absent before its first push: nothing to say);
     * each image opened is added to {@code opened} as it is, for the caller to close whatever becomes of the read.
     */
    private static RegistryLayers read(List<ImageReference.Registry> refs, ImageReference.Registry quietIfAbsent,
                                       RegistrySettings settings, Consumer<String> notice, List<OpenedImage> opened) {
        Map<String, Found> byKey = new LinkedHashMap<>();
        for (ImageReference.Registry ref : refs) {
            if (Thread.currentThread().isInterrupted()) {
                break; // stopped (the build ended): nothing more to read, nothing to say
            }
            String where = ref.toString();
            OpenedImage o;
            try {
                o = Transports.openLayersLater(ref, where, settings); // each layer verified as it is fetched
            } catch (IOException | UncheckedIOException | DistrolixException e) {
                if (!ref.equals(quietIfAbsent) && !Thread.currentThread().isInterrupted()) {
                    String why = oneLine(e);
                    notice.accept("--cache-from " + where + " not used: "
                            + (why.startsWith(where + ": ") ? why.substring(where.length() + 2) : why));
                }
                continue;
            }
            synchronized (opened) {
                opened.add(o);
            }
            try {
                for (Image image : images(o)) {
                    JsonNode layers = dev.distrolix.json.JsonTrees.read(image.manifestBytes()).path("layers");
                    for (int i = 0; i < image.layers().size() && i < layers.size(); i++) {
                        String key = layers.get(i).path("annotations").path(ImageAssembler.LAYER_KEY_ANNOTATION).asText("");
                        if (KEY.matcher(key).matches()) {
                            Layer l = image.layers().get(i);
                            byKey.putIfAbsent(key + " " + l.mediaType(), new Found(l, where));
                        }
                    }
                }
            } catch (IOException | UncheckedIOException | DistrolixException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    notice.accept(where + " not used as a cache: " + oneLine(e));
                }
            }
        }
        return new RegistryLayers(byKey);
    }

    /**
     * How many layers of the image under {@code ref} carry a cache key, read as a build reads the image under its
     * target (manifest and config; no layer fetched), or -1 when it cannot be read: {@link ArchiveTraining#readBack}.
     */
    static int keyedLayers(ImageReference.Registry ref, RegistrySettings settings) {
        List<OpenedImage> opened = new ArrayList<>();
        int[] notices = {0};
        try {
            int n = read(List.of(ref), null, settings, m -> notices[0]++, opened).byKey.size();
            return notices[0] == 0 ? n : -1;
        } finally {
            opened.forEach(OpenedImage::close);
        }
    }

    private static List<Image> images(OpenedImage o) throws IOException {
        if (!(o.artifact() instanceof ImageIndex index)) {
            return List.of(o.image());
        }
        List<Image> out = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            if (d.platform() != null) {
                out.add(o.image(d.platform()));
            }
        }
        return out;
    }

    /**
     * The layers a build can take from registries: those of {@code cacheFrom} ({@code docker://} references,
     * checked now) and of the image now under the build's own registry target and tag ({@code target}, null for
     * other targets or when the tag is not known before the build). Read on first use: a build whose store layers
     * are all in its layer cache never asks a registry (reading one costs a warm push ~0.1 s of CPU).
     */
    static Lazy lazy(List<String> cacheFrom, ImageReference.Registry target, RegistrySettings settings,
                     BuildListener listener, Path cacheDir) {
        return new Lazy(refs(cacheFrom, target), target, settings, m -> listener.on(new BuildEvent.Notice(m)), null,
                cacheDir);
    }

    /** Nothing to read: every layer is made (or found in the local cache). */
    static Lazy empty() {
        return new Lazy(List.of(), null, null, m -> { }, null, null);
    }

    /** The images to read: {@code cacheFrom} (each a {@code docker://} image) and {@code target}, once each. */
    private static List<ImageReference.Registry> refs(List<String> cacheFrom, ImageReference.Registry target) {
        List<ImageReference.Registry> refs = new ArrayList<>();
        for (String c : cacheFrom) {
            ImageReference r = ImageReference.parseSource(c);
            if (!(r instanceof ImageReference.Registry reg)) {
                throw new dev.distrolix.InputException("--cache-from " + c + ": not a docker:// image");
            }
            refs.add(reg);
        }
        if (target != null && !refs.contains(target)) {
            refs.add(target);
        }
        return refs;
    }

    /**
     * What a build to {@code target} can take from registries: the image under the target's tag (when it is a
     * registry and the tag is known: the target's own, else {@code knownTag}) and {@code cacheFrom}; nothing
     * without a layer cache ({@code cacheDir} null: every layer is made). Read from the start, beside Nix, when
     * the layer cache is empty (a fresh runner asks for every store layer); else on the first miss.
     */
    static Lazy forBuild(ImageReference target, String knownTag, String imageName, Path cacheDir, List<String> cacheFrom,
                         RegistrySettings settings, BuildListener listener) {
        if (cacheDir == null) {
            return empty();
        }
        ImageReference.Registry previous = target instanceof ImageReference.Registry r && (r.tag() != null || knownTag != null)
                ? r.withDefaults(imageName, knownTag) : null;
        Lazy l = lazy(cacheFrom, previous, settings, listener, cacheDir);
        if (dev.distrolix.cache.LayerCache.isEmpty(cacheDir)) {
            l.startNow();
        }
        return l;
    }

    /**
     * {@link #forBuild}'s read for a fresh runner, started before the spec is read, or null: when the layer cache is
     * empty and the target is a registry whose tag the command line names (the target's own or {@code optionTag}),
     * the spec can change nothing of what is read, and the read (~0.1 s on a fresh JVM) otherwise ended after Nix.
     * What it has to say (its notices, and the registry client's retries) is held until {@link Lazy#adopted}, so
     * that it comes where it always came (after the spec's line; never, if the spec fails). A {@code --cache-from} or
     * tag that does not parse starts nothing here: it is reported by {@link #forBuild} in its usual turn.
     */
    static Lazy early(ImageReference target, String optionTag, Path cacheDir, List<String> cacheFrom,
                      RegistrySettings settings, BuildListener listener) {
        if (cacheDir == null || !(target instanceof ImageReference.Registry r) || (r.tag() == null && optionTag == null)
                || !dev.distrolix.cache.LayerCache.isEmpty(cacheDir)) {
            return null;
        }
        Lazy l;
        try {
            ImageReference.Registry previous = r.withDefaults(null, optionTag); // a registry's name is its own
            Held held = new Held();
            dev.distrolix.registry.PushListener events = settings.listener();
            l = new Lazy(refs(cacheFrom, previous), previous, settings.withListener(e -> held.deliver(() -> events.on(e))),
                    m -> held.deliver(() -> listener.on(new BuildEvent.Notice(m))), held, cacheDir);
        } catch (RuntimeException reportedLater) {
            return null;
        }
        l.startNow();
        return l;
    }

    /**
     * Messages held in order until {@link #release}, then delivered as they come; delivered under the lock, so that
     * none overtakes one released before it.
     */
    private static final class Held {
        private List<Runnable> waiting = new ArrayList<>();

        synchronized void deliver(Runnable message) {
            if (waiting != null) {
                waiting.add(message);
            } else {
                message.run();
            }
        }

        synchronized void release() {
            List<Runnable> w = waiting;
            waiting = null;
            if (w != null) {
                w.forEach(Runnable::run);
            }
        }
    }

    /** {@link #read} on first use, then kept; closes what it read. */
    static final class Lazy implements java.util.function.Supplier<RegistryLayers>, AutoCloseable {
        private final List<ImageReference.Registry> refs;
        private final ImageReference.Registry quiet;
        private final RegistrySettings settings;
        private final Consumer<String> notice;
        /** What a read started early says, held until the build takes it up; null for a read started by the build. */
        private final Held held;
        /** Every image a read opened, closed by {@link #close} whatever became of the read. */
        private final List<OpenedImage> opened = new ArrayList<>();
        /** The blobs of what is read, downloaded ahead or when asked for; closed (deleted) with this. */
        private final LayerPrefetch prefetch;
        private RegistryLayers got;
        private Background<RegistryLayers> early;

        /** Blobs downloaded into {@code cacheDir}'s blobs folder (null: the temp folder), where the build keeps them. */
        private Lazy(List<ImageReference.Registry> refs, ImageReference.Registry quiet, RegistrySettings settings,
                     Consumer<String> notice, Held held, Path cacheDir) {
            this.refs = refs;
            this.quiet = quiet;
            this.settings = settings;
            this.notice = notice;
            this.held = held;
            this.prefetch = new LayerPrefetch(cacheDir == null ? null : dev.distrolix.cache.LayerCache.blobsDir(cacheDir));
        }

        /** The build makes {@code n} images, each taking what it wants of this ({@link #keepOnly}). */
        void expectImages(int n) {
            prefetch.expectImages(n);
        }

        /**
         * An image's build takes {@code wanted} (layers found here; none where it takes nothing from registries): once
         * each image has said so, downloads started ahead of layers none takes are cancelled.
         */
        void keepOnly(java.util.Set<Layer> wanted) {
            prefetch.keepOnly(wanted.stream().map(LayerPrefetch.Key::of).collect(java.util.stream.Collectors.toSet()));
        }

        /** This read, taken up by the build: what it held is said, in order, and what comes later as it comes. */
        Lazy adopted() {
            if (held != null) {
                held.release();
            }
            return this;
        }

        /**
         * Starts reading now, on a thread of its own (beside Nix): for a runner whose layer cache is empty, which
         * will need the registry's layers; a warm one reads only on a miss.
         */
        synchronized void startNow() {
            if (early == null && got == null && !refs.isEmpty()) {
                // and their blobs downloaded at once: a fresh runner will want them, and they can be checked now, while
                // Nix evaluates, instead of after it
                early = Background.start("distrolix-registry-layers", () -> {
                    RegistryLayers r = read(refs, quiet, settings, notice, opened);
                    prefetch.startAll(r.byKey.values().stream().map(Found::layer).toList());
                    return r;
                });
            }
        }

        @Override
        public synchronized RegistryLayers get() {
            if (got == null) {
                try {
                    got = early != null ? early.join() : refs.isEmpty() ? none()
                            : read(refs, quiet, settings, notice, opened);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return got;
        }

        private static final String DIFFERS = "it holds other files than this build's layer of the same key";

        /**
         * Puts {@code found}'s blob into {@code dir} (named by its digest, as a made layer is) if it holds what
         * {@code made} makes: the blob, downloaded ahead or now, is checked against its digest and size and its tar
         * against the config's diff_id ({@link LayerPrefetch}); this build's tar of the same store paths, hashed here
         * while the blob arrives, must have that diff_id and size (the writer is reproducible to the bit), and only then
         * is the file put in place.
         */
        LayerBlob fetch(Found found, dev.distrolix.tar.LayerWriter.EntryProducer made, Path dir,
                        Compression compression) throws IOException {
            Layer layer = found.layer();
            if (layer.diffId() == null) {
                throw new IOException("its image's config names no diff_id for it");
            }
            LayerPrefetch.Download download = prefetch.start(layer); // checked against this layer's own diff_id
            dev.distrolix.tar.LayerWriter.TarDigest ours = dev.distrolix.tar.LayerWriter.tarDigest(made);
            LayerPrefetch.Saved saved = download.await();
            if (!ours.digest().equals(layer.diffId()) || ours.size() != saved.tarSize()) {
                throw new IOException(DIFFERS + " (its tar " + layer.diffId().hex().substring(0, 12) + ", "
                        + saved.tarSize() + " bytes; this build's " + ours.digest().hex().substring(0, 12) + ", " + ours.size() + " bytes)");
            }
            Path target = download.moveInto(dir.resolve(layer.digest().hex()));
            return new LayerBlob(target, layer.digest(), layer.size(), layer.diffId(), ours.size(), compression);
        }

        @Override
        public synchronized void close() {
            if (early != null) {
                early.cancel(); // stops a read still running (it ends at its next image, saying nothing)
            }
            prefetch.close(); // before the images it reads from are closed
            synchronized (opened) {
                opened.forEach(OpenedImage::close);
                opened.clear();
            }
        }
    }

    /** The layer made under {@code key} with {@code compression}, if a registry image has it. */
    Optional<Found> find(String key, Compression compression) {
        return Optional.ofNullable(byKey.get(key + " " + compression.mediaType()));
    }

    static String oneLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
