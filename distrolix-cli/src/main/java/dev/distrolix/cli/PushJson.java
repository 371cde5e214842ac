package dev.distrolix.cli;

import dev.distrolix.registry.PushResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A push result as the JSON the --json outputs carry: each blob with its fate. */
final class PushJson {
    private PushJson() {}

    static Map<String, Object> of(PushResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("registry", r.registry());
        m.put("repository", r.repository());
        m.put("tags", r.tags());
        m.put("digest", r.digest().toString());
        m.put("mediaType", r.mediaType());
        m.put("uploaded", r.count(PushResult.Fate.UPLOADED));
        m.put("exists", r.count(PushResult.Fate.EXISTS));
        m.put("mounted", r.count(PushResult.Fate.MOUNTED));
        m.put("uploadedBytes", r.uploadedBytes());
        List<Map<String, Object>> blobs = new ArrayList<>();
        for (PushResult.BlobOutcome b : r.blobs()) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("digest", b.digest().toString());
            bm.put("size", b.size());
            bm.put("mediaType", b.mediaType());
            bm.put("fate", b.fate().name().toLowerCase(Locale.ROOT));
            if (b.mountedFrom() != null) {
                bm.put("mountedFrom", b.mountedFrom());
            }
            blobs.add(bm);
        }
        m.put("blobs", blobs);
        return m;
    }
}
