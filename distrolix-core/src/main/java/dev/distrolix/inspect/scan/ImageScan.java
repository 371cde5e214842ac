package dev.distrolix.inspect.scan;

import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.image.Image;
import dev.distrolix.inspect.TarEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The one streaming pass that audit, sbom and why make over an image: the merged filesystem
 * ({@link FlatFilesystem}) plus whatever the given {@link ScanCollector}s gather from the same
 * bytes. Each file's content is read once, in 64 KiB chunks, and handed to every collector that
 * asked for it; memory stays bounded by what the collectors keep, never by file sizes.
 *
 * <p>Symlinks that climb above the root are kept (not refused as the plain reader does), so that
 * the audit can report them; nothing is ever followed on the host.
 */
public final class ImageScan {
    private ImageScan() {}

    public static FlatFilesystem run(Image image, List<? extends ScanCollector> collectors) throws IOException {
        Tap tap = new Tap(List.copyOf(collectors));
        FlatFilesystem fs = FlatFilesystem.read(image, tap);
        for (ScanCollector c : collectors) {
            c.finish();
        }
        return fs;
    }

    /** Fans one file's content out to the collectors' sinks. */
    private static final class Tap implements FlatFilesystem.ContentTap {
        private final List<ScanCollector> collectors;
        private final byte[] buffer = new byte[64 * 1024];
        private final List<ContentSink> sinks = new ArrayList<>();
        private LayerInfo layer;

        Tap(List<ScanCollector> collectors) {
            this.collectors = collectors;
        }


        @Override
        public void entry(LayerInfo layer, TarEntry entry) {
            this.layer = layer;
            for (ScanCollector c : collectors) {
                c.entry(layer, entry);
            }
        }

        @Override
        public boolean wants(TarEntry entry) {
            sinks.clear();
            for (ScanCollector c : collectors) {
                ContentSink s = c.open(layer, entry);
                if (s != null) {
                    sinks.add(s);
                }
            }
            return !sinks.isEmpty();
        }

        @Override
        public void read(LayerInfo layer, TarEntry entry, InputStream content) throws IOException {
            List<ContentSink> active = new ArrayList<>(sinks);
            try {
                int n;
                while (!active.isEmpty() && (n = content.read(buffer, 0, buffer.length)) >= 0) {
                    for (int i = active.size() - 1; i >= 0; i--) {
                        if (!active.get(i).accept(buffer, 0, n)) {
                            active.remove(i);
                        }
                    }
                }
            } finally {
                for (ContentSink s : sinks) {
                    s.end();
                }
                sinks.clear();
            }
        }
    }
}
