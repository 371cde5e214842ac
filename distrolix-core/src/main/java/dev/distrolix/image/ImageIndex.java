package dev.distrolix.image;

import java.util.List;
import java.util.Map;

/** An OCI image index (the shape of an image layout's index.json) as a value. */
public record ImageIndex(List<Descriptor> manifests, Map<String, String> annotations) {
    public ImageIndex {
        manifests = List.copyOf(manifests);
        annotations = CanonicalJson.sortedCopy(annotations);
    }
}
