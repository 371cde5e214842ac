package dev.distrolix.cache;

import dev.distrolix.blob.Digest;
import dev.distrolix.nix.StorePath;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.TreeSet;

/**
 * Cache keys: a SHA-256 over everything that decides a layer's bytes. Store paths are immutable,
 * so a store layer's key is its sorted paths; the declared-files layer's key covers every header
 * field and every file's content. {@link #FORMAT} names the tar and compression rules: change it
 * whenever the bytes those rules produce change, or stale blobs would be reused.
 */
public final class LayerKeys {
    public static final String FORMAT = "distrolix-layer-2;tar=ustar-pax-1;gzip=blocks-128k-dict32k;zstd=jni-1.5.7-workers-job2m";

    private LayerKeys() {}

    public static String storeLayer(List<StorePath> paths, Compression compression) {
        MessageDigest md = Digest.newSha256();
        update(md, FORMAT + "\nstore\n" + compression.name() + ":" + compression.defaultLevel() + "\n");
        for (String p : new TreeSet<>(paths.stream().map(StorePath::fullPath).toList())) {
            update(md, p + "\n");
        }
        return Digest.ofSha256(md).hex();
    }

    public static String entriesLayer(List<LayerEntry> entries, Compression compression) throws IOException {
        MessageDigest md = Digest.newSha256();
        update(md, FORMAT + "\nentries\n" + compression.name() + ":" + compression.defaultLevel() + "\n");
        byte[] buf = new byte[65536];
        for (LayerEntry e : entries) {
            LayerEntry.Ownership o = e.owner();
            String head = e.getClass().getSimpleName() + "\0" + e.path() + "\0" + Integer.toOctalString(e.mode()) + "\0"
                    + o.uid() + "\0" + o.gid() + "\0" + o.uname() + "\0" + o.gname() + "\0" + e.mtime() + "\0";
            update(md, head);
            if (e instanceof LayerEntry.Symlink s) {
                update(md, s.target() + "\0");
            } else if (e instanceof LayerEntry.RegularFile f) {
                update(md, f.size() + "\0");
                try (InputStream in = f.content().open()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            update(md, "\n");
        }
        return Digest.ofSha256(md).hex();
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
    }
}
