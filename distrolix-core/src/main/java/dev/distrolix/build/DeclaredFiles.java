package dev.distrolix.build;

import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.tar.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The declared-files layer of a multi-platform build, split in two: what is the same on every platform
 * and what names store paths (which differ per platform: profile links, a config templated with a
 * package's path). The first is one layer shared by all the platforms' images.
 */
final class DeclaredFiles {
    static final String STORE = "/nix/store/";
    /** Files larger than this are not searched for store paths; they count as naming one (not shared). */
    static final long MAX_SCANNED = 1 << 20;

    private DeclaredFiles() {}

    /** [shared, per platform]; either may be empty (an empty layer is still a layer: the count stays fixed). */
    static List<List<LayerEntry>> split(List<LayerEntry> entries) {
        List<LayerEntry> shared = new ArrayList<>();
        List<LayerEntry> own = new ArrayList<>();
        for (LayerEntry e : entries) {
            (namesStorePath(e) ? own : shared).add(e);
        }
        return List.of(shared, own);
    }

    static boolean namesStorePath(LayerEntry e) {
        if (e instanceof LayerEntry.Symlink s) {
            return s.target().contains(STORE);
        }
        if (e instanceof LayerEntry.RegularFile f) {
            if (f.size() > MAX_SCANNED) {
                return true;
            }
            try (InputStream in = f.content().open()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(STORE);
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot read " + f.path() + ": " + e2.getMessage(), e2);
            }
        }
        return false;
    }

    /** How many of the spec's declared paths are in {@code entries}. */
    static int countDeclared(List<LayerEntry> entries, ResolvedSpec resolved) {
        Set<String> inLayer = entries.stream().map(LayerEntry::path).map(DeclaredFiles::bare).collect(Collectors.toSet());
        return (int) resolved.paths().stream().filter(p -> inLayer.contains(bare(p.path()))).count();
    }

    private static String bare(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
