package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.util.List;

/**
 * One layer per store path, dependencies first (ties by name, then hash).
 *
 * <p>A closure with more paths than {@code maxStoreLayers} is an error, not a silent merge:
 * "one layer per path with the rest merged" is exactly {@link Popularity}, which also picks
 * well which paths to merge. Someone who asked for per-path should learn that it cannot be had.
 */
public final class PerPath implements LayeringStrategy {
    public static final String NAME = "per-path";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<List<StorePath>> plan(Closure closure, int maxStoreLayers) {
        Layering.requireStoreLayers(maxStoreLayers);
        if (closure.size() > maxStoreLayers) {
            throw new LayeringException("per-path layering needs " + closure.size() + " layers but only "
                    + maxStoreLayers + " are available for store paths (max-layers " + (maxStoreLayers + 1)
                    + " minus the customisation layer); use '" + Popularity.NAME + "' or '" + SizeBased.NAME
                    + "', which merge paths");
        }
        Graph g = new Graph(closure);
        return g.toPaths(g.topological(true, Graph.BY_NAME_THEN_HASH)).stream().map(List::of).toList();
    }
}
