package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Entry point of the layering package: strategies by name and the max-layers arithmetic.
 *
 * <p>An image has at most {@value #MAX_LAYERS} layers (containerd's limit, which dockerTools
 * adopted); one of them is the customisation layer (rootfs files, /etc, symlinks), so the store
 * paths get {@code maxLayers - 1}.
 */
public final class Layering {
    public static final int MAX_LAYERS = 127;
    /** dockerTools' default maxLayers. */
    public static final int DEFAULT_MAX_LAYERS = 100;
    public static final String DEFAULT_STRATEGY = Popularity.NAME;

    private static final List<String> NAMES = List.of(Popularity.NAME, SizeBased.NAME, PerPath.NAME, Single.NAME);

    private Layering() {}

    /**
     * The strategy called {@code name}: {@code popularity}, {@code size} (also {@code auto},
     * {@code auto-layer}), {@code per-path}, {@code single}; case-insensitive.
     */
    public static LayeringStrategy of(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "popularity":
            case "popularity-contest":
                return new Popularity();
            case "size":
            case "auto":
            case "auto-layer":
                return new SizeBased();
            case "per-path":
                return new PerPath();
            case "single":
                return new Single();
            default:
                throw new LayeringException("unknown layering strategy '" + name + "' (expected one of "
                        + String.join(", ", NAMES) + ")");
        }
    }

    public static List<String> names() {
        return NAMES;
    }

    /**
     * Layers available to store paths for an image of at most {@code maxLayers} layers.
     *
     * @throws LayeringException unless 2 ≤ maxLayers ≤ 127
     */
    public static int maxStoreLayers(int maxLayers) {
        if (maxLayers < 2 || maxLayers > MAX_LAYERS) {
            throw new LayeringException("max-layers must be between 2 and " + MAX_LAYERS
                    + " (one layer is kept for customisation), got " + maxLayers);
        }
        return maxLayers - 1;
    }

    /** Validates {@code maxLayers}, plans with the named strategy, and checks the plan's invariants. */
    public static List<List<StorePath>> plan(String strategy, Closure closure, int maxLayers) {
        int storeLayers = maxStoreLayers(maxLayers);
        List<List<StorePath>> plan = of(strategy).plan(closure, storeLayers);
        verify(plan, closure, storeLayers);
        return plan;
    }

    /**
     * Checks what every strategy promises; a failure here is a bug in the strategy, not the input.
     *
     * @throws IllegalStateException naming the first broken invariant
     */
    public static void verify(List<List<StorePath>> plan, Closure closure, int maxStoreLayers) {
        if (plan.size() > maxStoreLayers) {
            throw new IllegalStateException("layering produced " + plan.size() + " store layers, limit " + maxStoreLayers);
        }
        Set<StorePath> seen = new HashSet<>();
        for (List<StorePath> group : plan) {
            if (group.isEmpty()) {
                throw new IllegalStateException("layering produced an empty layer");
            }
            for (StorePath p : group) {
                if (!closure.contains(p)) {
                    throw new IllegalStateException("layering invented a path not in the closure: " + p);
                }
                if (!seen.add(p)) {
                    throw new IllegalStateException("layering put " + p + " in two layers");
                }
            }
        }
        if (seen.size() != closure.size()) {
            throw new IllegalStateException("layering left " + (closure.size() - seen.size()) + " paths out");
        }
    }

    static void requireStoreLayers(int maxStoreLayers) {
        if (maxStoreLayers < 1) {
            throw new LayeringException("at least one layer is needed for store paths, got " + maxStoreLayers);
        }
    }
}
