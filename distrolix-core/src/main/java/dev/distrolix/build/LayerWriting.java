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
    private LayerWriting() {
    }

    /** The layers, in order, and which of them came from the cache. */
    record Written(List<LayerBlob> blobs, Set<Integer> cached) {
        static Written concat(Written a, Written b) {
            List<LayerBlob> all = new ArrayList<>(a.blobs());
            all.addAll(b.blobs());
            Set<Integer> cached = new HashSet<>(a.cached());
            b.cached().forEach(i -> cached.add(i + a.blobs().size()));
            return new Written(List.copyOf(all), cached);
        }
    }

    /** Takes what the cache has (verified), writes the rest in parallel, and records them. */
    static Written write(List<LayerWriter.EntryProducer> producers, List<String> keys, LayerCache cache,
                         Path blobs, Compression comp, BuildListener events) throws IOException {
        LayerBlob[] out = new LayerBlob[producers.size()];
        Set<Integer> cached = new HashSet<>();
        List<Integer> misses = new ArrayList<>();
        List<Optional<LayerBlob>> hits = lookUpAll(cache, keys, comp);
        if (cache != null) {
            cache.drainWarnings().forEach(w -> events.on(new BuildEvent.Notice(w)));
        }
        for (int i = 0; i < producers.size(); i++) {
            var hit = hits.get(i);
            if (hit.isPresent()) {
                out[i] = hit.get();
                cached.add(i);
            } else {
                misses.add(i);
            }
        }
        List<LayerBlob> built = ParallelLayerWriter.writeAll(blobs, comp,
                misses.stream().map(producers::get).toList());
        for (int j = 0; j < misses.size(); j++) {
            int i = misses.get(j);
            out[i] = built.get(j);
            if (cache != null) {
                cache.store(keys.get(i), out[i]);
            }
        }
        return new Written(List.of(out), cached);
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
