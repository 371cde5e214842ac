package dev.distrolix.inspect.elf;

import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.TarEntry;
import dev.distrolix.inspect.scan.ContentSink;
import dev.distrolix.inspect.scan.ScanCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses every regular file that starts with the ELF magic during the pass (see
 * {@link ElfStreamParser}) and keeps the facts per path and layer; {@link #get(FsEntry)} answers
 * for the merged filesystem's entry (so a file a later layer replaced is not mistaken for it).
 */
public final class ElfCollector implements ScanCollector {
    private record Found(int layer, ElfInfo info) {}

    private final Map<String, Found> byPath = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();

    @Override
    public ContentSink open(LayerInfo layer, TarEntry file) {
        if (file.size() < 64) {
            return null;
        }
        return new ElfStreamParser(info -> byPath.put(file.path(), new Found(layer.index(), shared(info))));
    }

    /** The ELF facts of a regular file of the merged filesystem, or null if it is no ELF file. */
    public ElfInfo get(FsEntry e) {
        if (e == null) {
            return null;
        }
        Found f = byPath.get(e.path());
        return f != null && f.layer() == e.layer() ? f.info() : null;
    }

    /** Number of ELF files seen (all layers). */
    public int size() {
        return byPath.size();
    }

    /** Library names repeat in thousands of files: keep one copy of each string. */
    private ElfInfo shared(ElfInfo i) {
        return new ElfInfo(i.elfClass(), i.bigEndian(), i.machine(), i.type(), share(i.interpreter()), share(i.needed()),
                share(i.rpath()), share(i.runpath()), i.soname(), i.dynamic(), i.complete(), i.problem());
    }

    private List<String> share(List<String> l) {
        return l.stream().map(this::share).toList();
    }

    private String share(String s) {
        return s == null ? null : strings.computeIfAbsent(s, k -> k);
    }
}
