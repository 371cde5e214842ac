package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import com.github.luben.zstd.ZstdOutputStream;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds tiny but real layer blobs (a deterministic tar, compressed) for tests. */
public final class TestLayers {
    private TestLayers() {}

    /** A layer holding the given files (path → content), mode 0644, with their parent dirs. */
    public static LayerBlob layer(Path dir, String name, Map<String, String> files, Compression compression)
            throws IOException {
        byte[] tar = tar(files);
        byte[] blob = switch (compression) {
            case NONE -> tar;
            case GZIP -> compress(tar, GZIPOutputStream::new);
            case ZSTD -> compress(tar, ZstdOutputStream::new);
        };
        Path file = dir.resolve(name + (compression == Compression.NONE ? ".tar" : ".tar." + compression.name().toLowerCase()));
        Files.createDirectories(dir);
        Files.write(file, blob);
        return new LayerBlob(file, Digest.sha256(blob), blob.length, Digest.sha256(tar), tar.length, compression);
    }

    public static LayerBlob gzipLayer(Path dir, String name, Map<String, String> files) throws IOException {
        return layer(dir, name, files, Compression.GZIP);
    }

    public static byte[] tar(Map<String, String> files) throws IOException {
        TreeMap<String, byte[]> entries = new TreeMap<>();
        files.forEach((path, content) -> {
            String[] parts = path.split("/");
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                prefix.append(parts[i]).append('/');
                entries.put(prefix.toString(), null);
            }
            entries.put(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setIds(0, 0);
                te.setNames("root", "root");
                te.setModTime(1000L);
                te.setMode(e.getValue() == null ? 040755 : 0100644);
                if (e.getValue() != null) {
                    te.setSize(e.getValue().length);
                }
                tar.putArchiveEntry(te);
                if (e.getValue() != null) {
                    tar.write(e.getValue());
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private interface Wrapper {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Wrapper w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = w.wrap(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
