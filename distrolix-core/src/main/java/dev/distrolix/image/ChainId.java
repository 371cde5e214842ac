package dev.distrolix.image;

import dev.distrolix.blob.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ChainIDs identify a stack of layers independently of how they were compressed:
 * {@code ChainID(L0) = DiffID(L0)}, {@code ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln))}.
 * Runtimes key their unpacked snapshots by it, so equal chain IDs mean shared disk.
 */
public final class ChainId {
    private ChainId() {}

    /** The chain ID of the whole stack (base layer first); empty stacks have none. */
    public static Digest of(List<Digest> diffIds) {
        if (diffIds.isEmpty()) {
            throw new IllegalArgumentException("an empty layer stack has no chain ID");
        }
        List<Digest> all = all(diffIds);
        return all.get(all.size() - 1);
    }

    /** The chain ID of every prefix: element i is the chain ID of layers 0..i. */
    public static List<Digest> all(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (Digest diffId : diffIds) {
            chain = chain == null ? diffId
                    : Digest.sha256((chain + " " + diffId).getBytes(StandardCharsets.US_ASCII));
            out.add(chain);
        }
        return List.copyOf(out);
    }
}
