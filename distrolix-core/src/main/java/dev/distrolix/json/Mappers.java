package dev.distrolix.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one place JSON mappers are configured. Everything distrolix parses may come from outside
 * (registries, archives, specs), so every mapper reads with bounds: no document nests deeper
 * than {@link #MAX_DEPTH}, no string or document is longer than {@link #MAX_DOCUMENT} — a hostile
 * manifest fails with a clear message instead of taking the heap. Mappers are thread-safe once
 * configured; share these.
 */
public final class Mappers {
    /** containers/image's cap on a manifest, config or index; nothing we read as JSON is larger. */
    public static final int MAX_DOCUMENT = 4 << 20;
    public static final int MAX_DEPTH = 64;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_DOCUMENT)
            .maxDocumentLength(MAX_DOCUMENT)
            .maxNumberLength(100)
            .maxNameLength(64 << 10)
            .build();

    /** The bounded factory trees are read and written with ({@link JsonTrees}). */
    static final JsonFactory FACTORY = bounded(new JsonFactory());

    /** Made on first use: most runs print no JSON. */
    private static final class Pretty {
        static final ObjectMapper MAPPER = new ObjectMapper(bounded(new JsonFactory()))
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private Mappers() {}

    /** Indented output, for {@code --json} and files people read. */
    public static ObjectMapper pretty() {
        return Pretty.MAPPER;
    }

    /** Applies the read limits to a factory (also used for YAML factories). */
    public static <F extends JsonFactory> F bounded(F factory) {
        factory.setStreamReadConstraints(LIMITS);
        return factory;
    }
}
