package dev.distrolix.image;

import java.util.List;
import java.util.Map;

/** The JSON of an OCI image index (the shape of an image layout's index.json) as a value. */
public record IndexManifest(List<Descriptor> manifests, Map<String, String> annotations) {
    public IndexManifest {
        manifests = List.copyOf(manifests);
        annotations = CanonicalJson.sortedCopy(annotations);
    }
}
