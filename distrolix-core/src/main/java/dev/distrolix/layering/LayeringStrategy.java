package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.util.List;

/**
 * Decides which store paths go into which image layer. Implementations are pure functions of the
 * closure (references, NAR sizes, names) and the limit, and deterministic: the same closure gives
 * the same plan on every machine, which is what makes layers reusable across builds.
 */
public interface LayeringStrategy {
    /** The name {@link Layering#of(String)} knows this strategy by. */
    String name();

    /**
     * @param maxStoreLayers how many layers the store paths may use (the image's max-layers minus
     *                       the customisation layer), at least 1
     * @return groups in layer order, base layer first; every path of the closure is in exactly one
     *         group, no group is empty, there are at most {@code maxStoreLayers} groups. The order
     *         of paths inside a group carries no meaning (a layer writer sorts its entries).
     * @throws LayeringException if the closure cannot be laid out under this strategy and limit
     */
    List<List<StorePath>> plan(Closure closure, int maxStoreLayers);
}
