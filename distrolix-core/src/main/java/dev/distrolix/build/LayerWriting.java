package dev.distrolix.build;

import dev.distrolix.blob.Compression;
import dev.distrolix.cache.LayerCache;
import dev.distrolix.tar.LayerBlob;
import dev.distrolix.tar.LayerWriter;
import dev.distrolix.tar.ParallelLayerWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Writing a build's layers: what the layer cache has is taken, the rest written in parallel and recorded. */
final class LayerWriting {
    /**
     * Layers fetched from a registry at once, largest first: each is unpacked, compared and hashed as it arrives, a
     * core's work, but its first bytes come a round trip after it is asked for, so four at once even on two cores.
     * (On two cores, four took a fresh runner 0.95x the time of two with the registry 20 ms away and 1.00x on
     * 127.0.0.1, interleaved, 9-11 pairs; two largest first had taken 0.91x the time of four in layer order.)
     */
    static final int FETCHES = 4;

    private LayerWriting() {
    }

    /** The layers, in order, which of them came from the cache and which from a registry. */
    record Written(List<LayerBlob> blobs, Set<Integer> cached, Set<Integer> fetched) {
        static Written concat(Written a, Written b) {
            List<LayerBlob> all = new ArrayList<>(a.blobs());
            all.addAll(b.blobs());
            Set<Integer> cached = new HashSet<>(a.cached());
            b.cached().forEach(i -> cached.add(i + a.blobs().size()));
            Set<Integer> fetched = new HashSet<>(a.fetched());
            b.fetched().forEach(i -> fetched.add(i + a.blobs().size()));
            return new Written(List.copyOf(all), cached, fetched);
        }
    }

    /** Takes what the cache has (verified), writes the rest in parallel, and records them. */
    static Written write(List<LayerWriter.EntryProducer> producers, List<String> keys, LayerCache cache,
                         Path blobs, Compression comp, BuildListener events, StreamedLayers.Target streamTo) throws IOException {
        return write(producers, keys, cache, RegistryLayers.empty(), toRead -> { }, blobs, comp, events, streamTo);
    }

    /**
     * Takes what the cache has (verified), fetches what a registry image has (verified), writes the rest in
     * parallel, and records the fetched and written ones in the cache. {@code registry} is asked only when the
     * cache misses (it may still be reading the registry: a warm build never waits for it). {@code willRead} is
     * told, before the registry is asked, which layers the cache lacks: each of them reads its store paths, to be
     * made or to be compared with a registry's (a binary cache starts to download them; a cached layer's are
     * never fetched).
     */
    static Written write(List<LayerWriter.EntryProducer> producers, List<String> keys, LayerCache cache,
                         RegistryLayers.Lazy registry,
                         java.util.function.Consumer<List<Integer>> willRead, Path blobs, Compression comp,
                         BuildListener events, StreamedLayers.Target streamTo) throws IOException {
        LayerBlob[] out = new LayerBlob[producers.size()];
        Set<Integer> cached = new HashSet<>();
        List<Integer> misses = new ArrayList<>();
        List<Optional<LayerBlob>> hits = lookUpAll(cache, keys, comp);
        if (cache != null) {
            cache.drainWarnings().forEach(w -> events.on(new BuildEvent.Notice(w)));
        }
        List<Integer> toRead = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            if (hits.get(i).isEmpty()) {
                toRead.add(i);
            }
        }
        if (!toRead.isEmpty()) {
            willRead.accept(toRead);
        }
        Set<Integer> fetched = new HashSet<>();
        List<Integer> remoteHits = new ArrayList<>();
        java.util.Map<Integer, RegistryLayers.Found> found = new java.util.HashMap<>();
        RegistryLayers remote = toRead.isEmpty() ? RegistryLayers.none() : registry.get();
        for (int i = 0; i < producers.size(); i++) {
            var hit = hits.get(i);
            if (hit.isPresent()) {
                out[i] = hit.get();
                cached.add(i);
                continue;
            }
            Optional<RegistryLayers.Found> there = remote.find(keys.get(i), comp);
            if (there.isPresent()) {
                remoteHits.add(i);
                found.put(i, there.get());
            } else {
                misses.add(i);
            }
        }
        // what this image takes (nothing, where the cache has every layer): downloads started ahead of others stop
        registry.keepOnly(found.values().stream().map(RegistryLayers.Found::layer).collect(java.util.stream.Collectors.toSet()));
        // fetched side by side, largest first (the longest fetch starts first); one that fails its checks (or cannot
        // be read) is made instead, and said
        remoteHits.sort((a, b) -> Long.compare(found.get(b).layer().size(), found.get(a).layer().size()));
        List<Optional<LayerBlob>> got = dev.distrolix.Workers.shared().forEach(remoteHits, FETCHES, i -> {
            RegistryLayers.Found f = found.get(i);
            try {
                return Optional.of(registry.fetch(f, producers.get(i), blobs, comp));
            } catch (IOException | java.io.UncheckedIOException | dev.distrolix.DistrolixException e) {
                events.on(new BuildEvent.Notice("layer " + f.layer().digest().hex().substring(0, 12) + " from " + f.where()
                        + " not used (" + RegistryLayers.oneLine(e) + "): made instead"));
                return Optional.empty();
            }
        });
        for (int j = 0; j < remoteHits.size(); j++) {
            int i = remoteHits.get(j);
            if (got.get(j).isPresent()) {
                out[i] = got.get(j).get();
                fetched.add(i);
                if (cache != null) {
                    cache.store(keys.get(i), out[i]);
                }
            } else {
                misses.add(i);
            }
        }
        java.util.Collections.sort(misses);
        List<LayerWriter.EntryProducer> toMake = misses.stream().map(producers::get).toList();
        // with a registry to stream to (no layer cache), the made layers go straight into its uploads
        List<LayerBlob> built = streamTo == null || toMake.isEmpty() ? ParallelLayerWriter.writeAll(blobs, comp, toMake)
                : cache == null ? StreamedLayers.writeAll(streamTo.repository(), comp, toMake, blobs, events)
                : StreamedLayers.writeAllAndCopy(streamTo.repository(), comp, toMake, blobs, events);
        for (int j = 0; j < misses.size(); j++) {
            int i = misses.get(j);
            out[i] = built.get(j);
            if (cache != null) {
                cache.store(keys.get(i), out[i]);
            }
        }
        return new Written(List.of(out), cached, fetched);
    }

    /** Cache lookups side by side: each one re-hashes its blob, most of a warm build's own work. */
    private static List<Optional<LayerBlob>> lookUpAll(LayerCache cache, List<String> keys, Compression comp)
            throws IOException {
        if (cache == null) {
            return Collections.nCopies(keys.size(), Optional.empty());
        }
        try {
            return keys.parallelStream().map(k -> {
                try {
                    return cache.lookup(k, comp);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
