package dev.distrolix.image;

import java.util.List;
import java.util.Objects;
import java.util.Map;

/** An OCI image manifest (schemaVersion 2) as a value; serialize it with {@link CanonicalJson}. */
public record ImageManifest(Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
    public ImageManifest {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        annotations = CanonicalJson.sortedCopy(annotations);
    }
}
