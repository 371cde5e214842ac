package dev.distrolix.spec;

import java.util.Objects;

/** How store paths are grouped into layers, and into at most how many. */
public record LayeringSpec(LayeringStrategyName strategy, int maxLayers) {
    /** Below Docker's limit of 128 layers, leaving one for the customisation layer. */
    public static final int MAX_LAYERS_LIMIT = 127;
    /** One layer for the store, one for the customisation layer. */
    public static final int MIN_LAYERS = 2;
    public static final int DEFAULT_MAX_LAYERS = 100;
    public static final LayeringSpec DEFAULT = new LayeringSpec(LayeringStrategyName.POPULARITY, DEFAULT_MAX_LAYERS);

    public LayeringSpec {
        Objects.requireNonNull(strategy, "strategy");
        if (maxLayers < MIN_LAYERS || maxLayers > MAX_LAYERS_LIMIT) {
            throw new IllegalArgumentException("maxLayers must be in " + MIN_LAYERS + ".." + MAX_LAYERS_LIMIT);
        }
    }
}
