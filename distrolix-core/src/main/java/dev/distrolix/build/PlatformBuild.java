package dev.distrolix.build;

import dev.distrolix.Background;
import dev.distrolix.blob.Compression;
import dev.distrolix.cache.LayerCache;
import dev.distrolix.cache.LayerKeys;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.ClosureGraphLabel;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.ImageAssembler;
import dev.distrolix.image.Platform;
import dev.distrolix.layering.Layering;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.NixSystem;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.StoreSource;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.LayerWriter;
import dev.distrolix.tar.StoreLayerEntries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One platform's image from what Nix said about it: the layer plan, the layers (through the cache),
 * the declared-files layer, the assembled image. A multi-platform build runs one per platform; layers
 * whose inputs are the same (the declared files, arch-independent store paths) have the same cache key
 * and bytes, so they are built once and shared.
 */
final class PlatformBuild {
    private PlatformBuild() {}

    /** What the layers are made with. */
    record Settings(String strategy, int maxLayers, Compression compression, Instant created, LayerCache cache,
                    Path blobs, BuildListener listener, boolean fromLock, boolean splitDeclared,
                    RegistryLayers.Lazy remote, StreamedLayers.Target streamTo,
                    boolean ownedBlobs) {}

    /** The image, a summary per layer, the declared-files layer's notices, and what it was made from. */
    record Result(AssembledImage image, List<BuildResult.LayerSummary> layers, List<String> notices, Closure closure,
                  NixSystem system) {}

    static Result assemble(NixInputs nixInputs, StoreSource storeSource, StoreDirectoryLister lister, Settings s)
            throws IOException {
        BuildListener listener = s.listener();
        Compression comp = s.compression();
        LayerCache cache = s.cache();
        Path blobs = s.blobs();
        Instant createdAt = s.created();
        String strategy = s.strategy();
        ResolvedSpec resolved = nixInputs.resolved();
        Closure closure = nixInputs.closure();
        NixSystem system = nixInputs.system();

        // split declared files take two of the layers
        List<List<StorePath>> plan = Layering.plan(strategy, closure, s.splitDeclared() ? s.maxLayers() - 1 : s.maxLayers());
        // From the local store the last layer's links cost a few directory listings: made first, so a fault
        // in them stops the build before any work. From a binary cache each profile package's NAR is read for
        // them (the JRE's is 190 MB): that runs beside the store layers instead of before them.
        final StoreDirectoryLister links = lister;
        CustomisationLayer custom = !s.fromLock() ? announced(CustomisationLayer.of(resolved, links), listener) : null;
        Background<CustomisationLayer> customJob = custom != null ? null
                : Background.start("distrolix-declared-files", () -> CustomisationLayer.of(resolved, links));
        listener.on(new BuildEvent.LayersPlanned(plan.size() + (s.splitDeclared() ? 2 : 1), strategy));

        List<LayerWriter.EntryProducer> producers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (List<StorePath> group : plan) {
            producers.add(StoreLayerEntries.producer(group, storeSource, closure.narSize(group)));
            keys.add(LayerKeys.storeLayer(group, comp));
        }
        LayerWriting.Written storeOut;
        try {
            storeOut = LayerWriting.write(producers, keys, cache, s.remote(),
                    toRead -> storeSource.prefetch(toRead.stream().flatMap(i -> plan.get(i).stream()).toList()),
                    blobs, comp, listener, s.streamTo());
            if (custom == null) {
                custom = announced(customJob.join(), listener);
            }
        } finally {
            if (customJob != null) {
                customJob.cancel();
            }
        }
        // Several platforms: the declared files that name no store path (accounts, static files, folders) are
        // the same bytes on every platform, a layer shared by all; profile links and files that name store paths
        // differ per platform and go in a layer of their own. One platform: one layer, as always.
        List<List<LayerEntry>> declaredLayers = s.splitDeclared() ? DeclaredFiles.split(custom.entries())
                : List.of(custom.entries());
        List<LayerWriter.EntryProducer> lastProducers = new ArrayList<>();
        List<String> lastKeys = new ArrayList<>();
        for (List<LayerEntry> entries : declaredLayers) {
            lastProducers.add(sink -> {
                for (var e : entries) {
                    sink.accept(e);
                }
            });
            lastKeys.add(LayerKeys.entriesLayer(entries, comp));
        }
        LayerWriting.Written lastOut;
        // one platform at a time: the shared layer is written by the first and found in the cache by the others
        synchronized (s) {
            // a few kB: with a layer cache made here and pushed with the image (the registry often has it: a push
            // only asks), with none streamed like the rest
            lastOut = LayerWriting.write(lastProducers, lastKeys, cache, blobs, comp, listener,
                    cache == null ? s.streamTo() : null);
        }
        LayerWriting.Written layersOut = LayerWriting.Written.concat(storeOut, lastOut);
        List<LayerBlob> written = layersOut.blobs();
        java.util.Set<Integer> cached = layersOut.cached();
        java.util.Set<Integer> fetched = layersOut.fetched();
        List<HistoryEntry> history = new ArrayList<>();
        List<BuildResult.LayerSummary> summaries = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            LayerBlob b = written.get(i);
            boolean storeLayer = i < plan.size();
            List<String> paths = storeLayer ? plan.get(i).stream().map(StorePath::fullPath).toList() : List.of();
            int d = i - plan.size();
            // what the layer holds, never where the spec came from: its file name is not part of the image
            String createdBy = storeLayer ? "distrolix: store paths " + String.join(" ", paths)
                    : declaredLayers.size() == 1 ? "distrolix: declared files"
                    : d == 0 ? "distrolix: declared files (every platform)" : "distrolix: declared files naming store paths";
            history.add(HistoryEntry.layer(createdAt, createdBy, null));
            int declared = storeLayer ? 0 : declaredLayers.size() == 1 ? resolved.paths().size()
                    : DeclaredFiles.countDeclared(declaredLayers.get(d), resolved);
            BuildResult.LayerSummary summary = new BuildResult.LayerSummary(b.digest(), b.diffId(), b.size(),
                    b.uncompressedSize(), b.mediaType(), paths, cached.contains(i), declared, fetched.contains(i),
                    b.file() == null);
            summaries.add(summary);
            listener.on(new BuildEvent.LayerWritten(i + 1, written.size(),
                    storeLayer ? describe(plan.get(i)) : ImageBuild.describeDeclared(declared), b.digest(), b.size(),
                    b.uncompressedSize(), cached.contains(i), summary.fate()));
        }
        Platform platform = new Platform(system.architecture(), system.os(), system.variant().orElse(null));
        // the build-time reference graph rides along as a label, for `distrolix sbom` to check against
        ContainerConfig config = ClosureGraphLabel.withLabel(ContainerConfigs.of(resolved.config()), closure);
        List<String> layerKeys = new ArrayList<>(keys);
        layerKeys.addAll(lastKeys);
        AssembledImage image = ImageAssembler.assemble(platform, config, createdAt, written, history, Map.of(), layerKeys);
        if (s.ownedBlobs()) {
            image = image.withOwnedFiles();
        }
        if (s.streamTo() != null) {
            image = image.withPushed(StreamedLayers.pushed(written, s.streamTo()));
        }
        return new Result(image, summaries, custom.notices(), closure, system);
    }

    /** Every platform's packages evaluated for its system, all at once; one closure query for them all. */
    static List<NixInputs> evaluateEach(dev.distrolix.spec.ImageSpec spec, List<String> platforms, dev.distrolix.nix.NixCli nixCli,
                                        List<String> includes, BuildListener listener) throws IOException {
        List<dev.distrolix.spec.ImageSpec> specs = new ArrayList<>();
        for (String p : platforms) {
            specs.add(spec.forSystem(NixSystem.ofPlatform(p).nixSystem()));
        }
        return NixInputs.ofEach(specs, nixCli, includes, listener);
    }

    /** One image per input; several platforms are made at once (their shared layers meet in the cache). */
    static List<PlatformBuild.Result> assembleEach(List<NixInputs> inputs, StoreSource source,
                                                           StoreDirectoryLister lister, PlatformBuild.Settings settings)
            throws IOException {
        if (inputs.size() == 1) {
            return List.of(assemble(inputs.get(0), source, lister, settings));
        }
        List<Background<PlatformBuild.Result>> jobs = new ArrayList<>();
        try {
            for (NixInputs in : inputs) {
                jobs.add(Background.start("distrolix-platform-" + in.system().nixSystem(),
                        () -> assemble(in, source, lister, settings)));
            }
            List<PlatformBuild.Result> out = new ArrayList<>();
            for (Background<PlatformBuild.Result> j : jobs) {
                out.add(j.join());
            }
            return out;
        } finally {
            jobs.forEach(Background::cancel);
        }
    }

    /** The last layer, its notices told to the listener. */
    private static CustomisationLayer announced(CustomisationLayer custom, BuildListener listener) {
        custom.notices().forEach(n -> listener.on(new BuildEvent.Notice(n)));
        return custom;
    }

    private static String describe(List<StorePath> group) {
        String first = group.get(0).name();
        return group.size() == 1 ? first : first + " +" + (group.size() - 1) + " more";
    }
}
