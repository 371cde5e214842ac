package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.util.List;

/** The whole closure in one layer (dockerTools' buildImage): smallest manifest, no sharing between images. */
public final class Single implements LayeringStrategy {
    public static final String NAME = "single";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<List<StorePath>> plan(Closure closure, int maxStoreLayers) {
        Layering.requireStoreLayers(maxStoreLayers);
        if (closure.size() == 0) {
            return List.of();
        }
        Graph g = new Graph(closure);
        return List.of(g.toPaths(g.topological(true, Graph.BY_NAME_THEN_HASH)));
    }
}
