package dev.distrolix.layering;

import dev.distrolix.nix.Closure;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/** Hand-built closures for the pure layering algorithms: names, sizes and references only. */
final class TestClosures {
    private static final String NIX32 = "0123456789abcdfghijklmnpqrsvwxyz";

    private final Map<String, Long> sizes = new LinkedHashMap<>();
    private final Map<String, List<String>> refs = new LinkedHashMap<>();
    private final Map<String, String> hashes = new LinkedHashMap<>();

    static TestClosures builder() {
        return new TestClosures();
    }

    /** A path named {@code name} (hash derived from the name) with its size and direct references. */
    TestClosures path(String name, long narSize, String... references) {
        sizes.put(name, narSize);
        refs.put(name, List.of(references));
        return this;
    }

    /** Overrides the hash seed of a path, to make two builds of "the same" path differ. */
    TestClosures hashSeed(String name, String seed) {
        hashes.put(name, seed);
        return this;
    }

    Closure build() {
        Set<String> referenced = new TreeSet<>();
        refs.values().forEach(referenced::addAll);
        List<PathInfo> infos = new ArrayList<>();
        List<StorePath> roots = new ArrayList<>();
        for (String name : sizes.keySet()) {
            List<StorePath> r = refs.get(name).stream().map(this::sp).toList();
            infos.add(new PathInfo(sp(name), sizes.get(name), "sha256-test", r));
            if (!referenced.contains(name)) {
                roots.add(sp(name));
            }
        }
        return new Closure(roots, infos);
    }

    StorePath sp(String name) {
        return new StorePath(StorePath.DEFAULT_STORE_DIR, hash(hashes.getOrDefault(name, name)), name);
    }

    static StorePath sp(TestClosures t, String name) {
        return t.sp(name);
    }

    static String hash(String seed) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 32; i++) {
                sb.append(NIX32.charAt(d[i] & 31));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A random DAG: node i may reference only nodes with higher numbers, so there are no cycles. */
    static Closure random(long seed, int n, double edgeProbability) {
        Random rnd = new Random(seed);
        TestClosures t = builder();
        for (int i = 0; i < n; i++) {
            List<String> r = new ArrayList<>();
            for (int j = i + 1; j < n; j++) {
                if (rnd.nextDouble() < edgeProbability) {
                    r.add(name(j));
                }
            }
            // a few equal sizes on purpose, to exercise the tie-breaking
            t.path(name(i), 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 100_000), r.toArray(String[]::new));
        }
        return t.build();
    }

    private static String name(int i) {
        return "p" + i;
    }
}
